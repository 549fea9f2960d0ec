using System.Runtime.CompilerServices;
using Fuzz.Model.Machine;

namespace Fuzz.Search.Verification;

/// <summary>
/// The IOMMU's side of the state (its IOTLB, the device's outstanding ATS requests, the command
/// queue) and the swap device's queue of bios.
/// </summary>
public sealed partial class StateCodec
{
    /// <summary>The version group of the bound mm's page (-1 without a device: nothing is cached then).</summary>
    private int IommuGroup(int va) => _m.IommuMm < 0 ? -1 : _m.IommuMm * _m.Pages + va;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void IommuFields()
    {
        for (int va = 0; va < _m.Pages; va++)
        {
            Cached(ref _m.Iotlb[va], IommuGroup(va));
            ref AtsRequest r = ref _m.Ats[va];
            byte state = (byte)r.State;
            _b.U8(ref state);
            r.State = (AtsState)state;
            if (r.State == AtsState.None)
            {
                // A free slot is rewritten whole by the next request (RequestTranslation).
                if (_b.Reading) r = default;
                continue;
            }
            _b.Bool(ref r.Write);
            _b.Bool(ref r.Demand);
            _b.Bool(ref r.Stale);
            _b.Bool(ref r.FromIotlb);
            Cached(ref r.Answer, IommuGroup(va));
        }
        // The queue is packed (entries before the first None): its length, then each command.
        int n = _b.Reading ? 0 : _m.IommuQueueCount();
        _b.Int(ref n);
        for (int i = 0; i < _m.IommuQueue.Length; i++)
        {
            ref IommuCommand cmd = ref _m.IommuQueue[i];
            if (i >= n)
            {
                if (_b.Reading) cmd = default;
                continue;
            }
            byte kind = (byte)cmd.Kind, st = (byte)cmd.State;
            _b.U8(ref kind);
            _b.U8(ref st);
            cmd.Kind = (IommuCommandKind)kind;
            cmd.State = (IommuCommandState)st;
            _b.U8(ref cmd.Issuer);
            byte first = (byte)cmd.First, last = (byte)cmd.Last;
            _b.U8(ref first);
            _b.U8(ref last);
            cmd.First = (sbyte)first;
            cmd.Last = (sbyte)last;
        }
    }

    /// <summary>
    /// The swap device's bios in submission order from the ring's head; decoding puts the head at 0
    /// (where the ring starts changes nothing the device or an oracle sees). A bio's generation is
    /// one bit: whether its frame is still the allocation it was built for.
    /// </summary>
    private void IoFields()
    {
        _b.Int(ref _m.IoCount);
        if (_b.Reading)
        {
            _m.IoHead = 0;
            Array.Clear(_m.IoQueue);
        }
        for (int i = 0; i < _m.IoCount; i++)
        {
            ref SwapIo io = ref _m.IoQueue[(_m.IoHead + i) % _m.IoQueue.Length];
            Bio(ref io);
        }
    }

    private void Bio(ref SwapIo io)
    {
        Pfn(ref io.Pfn);
        _b.Short(ref io.Slot);
        _b.Bool(ref io.Write);
        Generation(ref io.Generation, io.Pfn);
    }

    private void CollectIommuVersions()
    {
        for (int va = 0; va < _m.Pages; va++)
        {
            if (_m.Iotlb[va].Valid) AddVersion(IommuGroup(va), _m.Iotlb[va].PteVersion);
            ref AtsRequest r = ref _m.Ats[va];
            if (r.State != AtsState.None && r.Answer.Valid) AddVersion(IommuGroup(va), r.Answer.PteVersion);
        }
    }
}
