
namespace Fuzz.Formats.Text;

/// <summary>
/// The campaign's small text files: a header line "KIND VERSION", then "key value..." lines, '#'
/// comments. Repeated keys are kept in order. Errors name the file and the line.
/// </summary>
public sealed class KeyValueFile
{
    private readonly List<(int Line, string Key, string[] Values)> _entries = new();

    public string File { get; }

    private KeyValueFile(string file) => File = file;

    public static KeyValueFile Parse(string text, string file, string kind, int version)
    {
        var kv = new KeyValueFile(file);
        bool header = false;
        foreach (SourceLine line in SourceLine.Read(text))
        {
            if (line.Text.Length == 0) continue;
            string[] w = line.Words;
            if (!header)
            {
                if (w.Length != 2 || w[0] != kind || !int.TryParse(w[1], out int v))
                    throw new FileFormatException(file, line.Number, $"the first line must be '{kind} {version}'");
                if (v != version) throw new FileFormatException(file, line.Number, $"{kind} file format {v} is not supported (this tool reads {version})");
                header = true;
                continue;
            }
            kv._entries.Add((line.Number, w[0], w[1..]));
        }
        if (!header) throw new FileFormatException(file, 0, $"empty file: expected '{kind} {version}'");
        return kv;
    }

    public IEnumerable<(int Line, string[] Values)> All(string key) =>
        _entries.Where(e => e.Key == key).Select(e => (e.Line, e.Values));

    public string[]? Values(string key) => _entries.LastOrDefault(e => e.Key == key).Values;

    public string Text(string key, string? fallback = null)
    {
        string[]? v = Values(key);
        if (v is null || v.Length == 0)
        {
            return fallback ?? throw new FileFormatException(File, 0, $"missing '{key}'");
        }
        return string.Join(' ', v);
    }

    public long Long(string key, long? fallback = null)
    {
        string[]? v = Values(key);
        if (v is null) return fallback ?? throw new FileFormatException(File, 0, $"missing '{key}'");
        if (v.Length != 1 || !long.TryParse(v[0], out long n)) throw new FileFormatException(File, LineOf(key), $"'{key}' takes a whole number");
        return n;
    }

    public long[] Longs(string key, int count)
    {
        string[]? v = Values(key);
        var result = new long[count];
        if (v is null) return result;
        if (v.Length > count) throw new FileFormatException(File, LineOf(key), $"'{key}' has {v.Length} numbers, at most {count} expected");
        for (int i = 0; i < v.Length; i++)
        {
            if (!long.TryParse(v[i], out result[i])) throw new FileFormatException(File, LineOf(key), $"'{key}': '{v[i]}' is not a whole number");
        }
        return result;
    }

    public int LineOf(string key) => _entries.LastOrDefault(e => e.Key == key).Line;
}
