using System.Runtime.CompilerServices;

namespace Fuzz.Search.Verification;

/// <summary>
/// The byte stream of <see cref="StateCodec"/>: one code path writes a state or reads it back,
/// field by field, so that the two directions cannot drift apart. Integers are zigzag varints
/// (most fields are small), so equal states are equal bytes and small states are short.
/// </summary>
internal sealed class CodecBuffer
{
    private byte[] _bytes;
    public int Position;
    public bool Reading;

    public CodecBuffer(int capacity) => _bytes = new byte[capacity];

    public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, Position);

    public void StartWrite()
    {
        Reading = false;
        Position = 0;
    }

    public void StartRead(ReadOnlySpan<byte> source)
    {
        if (source.Length > _bytes.Length) _bytes = new byte[source.Length * 2];
        source.CopyTo(_bytes);
        Reading = true;
        Position = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void U8(ref byte v)
    {
        if (Reading)
        {
            v = _bytes[Position++];
            return;
        }
        if (Position == _bytes.Length) Grow();
        _bytes[Position++] = v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Bool(ref bool v)
    {
        byte b = v ? (byte)1 : (byte)0;
        U8(ref b);
        v = b != 0;
    }

    /// <summary>Zigzag varint; the one-byte case (values -64..63, nearly every field) inline.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Int(ref int v)
    {
        if (Reading)
        {
            byte b = _bytes[Position];
            if (b < 0x80)
            {
                Position++;
                v = (b >> 1) ^ -(b & 1);
                return;
            }
            v = ReadLong();
            return;
        }
        uint z = (uint)((v << 1) ^ (v >> 31));
        if (z < 0x80 && Position < _bytes.Length)
        {
            _bytes[Position++] = (byte)z;
            return;
        }
        WriteLong(z);
    }

    private int ReadLong()
    {
        uint u = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = _bytes[Position++];
            u |= (uint)(b & 0x7f) << shift;
            if (b < 0x80) break;
        }
        return (int)(u >> 1) ^ -(int)(u & 1);
    }

    private void WriteLong(uint z)
    {
        while (true)
        {
            if (Position + 5 > _bytes.Length) Grow();
            if (z < 0x80)
            {
                _bytes[Position++] = (byte)z;
                return;
            }
            _bytes[Position++] = (byte)(z | 0x80);
            z >>= 7;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Short(ref short v)
    {
        int i = v;
        Int(ref i);
        v = (short)i;
    }

    public void UInt(ref uint v)
    {
        int i = (int)v;
        Int(ref i);
        v = (uint)i;
    }

    /// <summary>Write-only: a value the reader recomputes (or ignores).</summary>
    public void Put(int v) => Int(ref v);

    /// <summary>Read-only counterpart of <see cref="Put"/>.</summary>
    public int Take()
    {
        int v = 0;
        Int(ref v);
        return v;
    }

    // Growth is rare (the buffer is sized for the scenario) and amortised.
    private void Grow() => Array.Resize(ref _bytes, _bytes.Length * 2);
}
