namespace Fuzz.Model.Machine;

/// <summary>The IOMMU's command queue: append, find the k-th command still queued, remove (arrays only, no allocation).</summary>
public sealed partial class MachineState
{
    /// <summary>How many commands the queue holds (queued or waiting for the device).</summary>
    public int IommuQueueCount()
    {
        int n = 0;
        while (n < IommuQueue.Length && IommuQueue[n].Kind != IommuCommandKind.None) n++;
        return n;
    }

    public bool IommuQueueHasRoom => IommuQueue[^1].Kind == IommuCommandKind.None;

    /// <summary>Queue a command at the tail; false when the queue is full.</summary>
    public bool IommuEnqueue(IommuCommandKind kind, int first, int last, int issuer)
    {
        int n = IommuQueueCount();
        if (n == IommuQueue.Length) return false;
        IommuQueue[n] = new IommuCommand
        {
            Kind = kind,
            State = IommuCommandState.Queued,
            Issuer = (byte)issuer,
            First = (sbyte)Math.Max(0, first),
            Last = (sbyte)Math.Min(Pages - 1, last),
        };
        return true;
    }

    /// <summary>The queue index of the <paramref name="k"/>-th (0-based) command not yet executed, or -1.</summary>
    public int QueuedCommand(int k)
    {
        for (int i = 0; i < IommuQueue.Length && IommuQueue[i].Kind != IommuCommandKind.None; i++)
        {
            if (IommuQueue[i].State != IommuCommandState.Queued) continue;
            if (k-- == 0) return i;
        }
        return -1;
    }

    public void IommuRemove(int index)
    {
        for (int i = index; i + 1 < IommuQueue.Length; i++) IommuQueue[i] = IommuQueue[i + 1];
        IommuQueue[^1] = default;
    }

    /// <summary>Whether a command queued by <paramref name="agent"/> has not completed yet.</summary>
    public bool HasCommandsOf(int agent)
    {
        for (int i = 0; i < IommuQueue.Length && IommuQueue[i].Kind != IommuCommandKind.None; i++)
        {
            if (IommuQueue[i].Issuer == agent) return true;
        }
        return false;
    }

    /// <summary>Whether a request outstanding for a page in [first, last] was marked stale by an invalidation.</summary>
    public bool StaleRequestIn(int first, int last)
    {
        for (int va = first; va <= last; va++)
        {
            if (Ats[va].State != AtsState.None && Ats[va].Stale) return true;
        }
        return false;
    }
}
