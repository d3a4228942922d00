namespace ServerlessCapi.EmbeddedApiServer.Http.Protobuf;

/// <summary>A minimal protocol-buffers wire reader (varints and length-delimited fields are all Kubernetes objects use).</summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _pos;

    public bool More => _pos < _data.Length;

    public (int Field, int WireType) Tag()
    {
        var tag = (long)Varint();
        return ((int)(tag >> 3), (int)(tag & 7));
    }

    public ulong Varint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = _data[_pos++];
            result |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new InvalidDataException("malformed varint");
    }

    public ReadOnlySpan<byte> Bytes()
    {
        var len = (int)Varint();
        var slice = _data.Slice(_pos, len);
        _pos += len;
        return slice;
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0: Varint(); break;
            case 1: _pos += 8; break;
            case 2: Bytes(); break;
            case 5: _pos += 4; break;
            default: throw new InvalidDataException($"unsupported wire type {wireType}");
        }
    }
}
