namespace Fuzz.Formats.Text;

/// <summary>
/// The campaign's small text files: a header line "KIND VERSION", then "key value..." lines, '#'
/// comments. Every key must be one the reader names: an unknown key (a misspelled budget, a line
/// from another format) is an error at its line, not silently ignored; a key read once may appear
/// once, a repeated key is kept in order. Errors name the file and the line.
/// </summary>
public sealed class KeyValueFile
{
    private readonly List<(int Line, string Key, string[] Values)> _entries = new();

    public string File { get; }

    private KeyValueFile(string file) => File = file;

    /// <param name="once">Keys that may appear at most once.</param>
    /// <param name="repeated">Keys that may appear any number of times.</param>
    public static KeyValueFile Parse(string text, string file, string kind, int version, IReadOnlyCollection<string> once, IReadOnlyCollection<string>? repeated = null)
    {
        var kv = new KeyValueFile(file);
        bool header = false;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
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
            string key = w[0];
            if (once.Contains(key))
            {
                if (seen.TryGetValue(key, out int first))
                    throw new FileFormatException(file, line.Number, $"'{key}' is given twice (first at line {first})");
                seen[key] = line.Number;
            }
            else if (repeated is null || !repeated.Contains(key))
            {
                throw new FileFormatException(file, line.Number,
                    $"unknown key '{Token.Show(key)}' in a {kind} file (keys: {string.Join(", ", once.Concat(repeated ?? []))})");
            }
            kv._entries.Add((line.Number, key, w[1..]));
        }
        if (!header) throw new FileFormatException(file, 0, $"empty file: expected '{kind} {version}'");
        return kv;
    }

    public IEnumerable<(int Line, string[] Values)> All(string key) =>
        _entries.Where(e => e.Key == key).Select(e => (e.Line, e.Values));

    public string[]? Values(string key) => _entries.LastOrDefault(e => e.Key == key).Values;

    public bool Has(string key) => Values(key) is not null;

    public string Text(string key, string? fallback = null)
    {
        string[]? v = Values(key);
        if (v is null || v.Length == 0)
        {
            if (fallback is not null) return fallback;
            throw new FileFormatException(File, v is null ? 0 : LineOf(key), $"missing '{key}'");
        }
        return string.Join(' ', v);
    }

    /// <summary>A whole number within [min, max]; missing: the fallback, or an error when there is none.</summary>
    public long Long(string key, long min, long max, long? fallback = null)
    {
        string[]? v = Values(key);
        if (v is null) return fallback ?? throw new FileFormatException(File, 0, $"missing '{key}'");
        if (v.Length != 1 || !long.TryParse(v[0], out long n) || n < min || n > max)
            throw new FileFormatException(File, LineOf(key), $"'{key}' takes a whole number from {min} to {max}" + (v.Length == 1 ? $", not '{Token.Show(v[0])}'" : ""));
        return n;
    }

    /// <summary>Up to <paramref name="count"/> whole numbers within [0, max] (missing ones are 0).</summary>
    public long[] Longs(string key, int count, long max)
    {
        string[]? v = Values(key);
        var result = new long[count];
        if (v is null) return result;
        if (v.Length > count) throw new FileFormatException(File, LineOf(key), $"'{key}' has {v.Length} numbers, at most {count} expected");
        for (int i = 0; i < v.Length; i++)
        {
            if (!long.TryParse(v[i], out result[i]) || result[i] < 0 || result[i] > max)
                throw new FileFormatException(File, LineOf(key), $"'{key}': '{Token.Show(v[i])}' is not a whole number from 0 to {max}");
        }
        return result;
    }

    public int LineOf(string key) => _entries.LastOrDefault(e => e.Key == key).Line;
}
