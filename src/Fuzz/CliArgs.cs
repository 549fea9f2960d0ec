using System.Globalization;
using Fuzz.Formats.Text;
using Fuzz.Generators;

namespace Fuzz;

/// <summary>
/// Minimal option parsing: --name value, --flag, and positionals. Unknown options, an option given
/// twice and values out of range are usage errors that name the option; echoed values are shortened.
/// </summary>
internal sealed class CliArgs
{
    private readonly List<string> _args;
    private readonly HashSet<int> _used = new();

    public CliArgs(IEnumerable<string> args) => _args = args.ToList();

    public string? Option(string name)
    {
        int at = -1;
        for (int i = 0; i < _args.Count; i++)
        {
            if (_args[i] != name || _used.Contains(i)) continue;
            if (at >= 0) throw new UsageException($"{name} is given twice");
            if (i + 1 >= _args.Count) throw new UsageException($"{name} needs a value");
            at = i;
            _used.Add(i);
            _used.Add(i + 1);
            i++;
        }
        return at < 0 ? null : _args[at + 1];
    }

    public bool Flag(string name)
    {
        bool found = false;
        for (int i = 0; i < _args.Count; i++)
        {
            if (_args[i] != name || _used.Contains(i)) continue;
            if (found) throw new UsageException($"{name} is given twice");
            found = true;
            _used.Add(i);
        }
        return found;
    }

    public int Int(string name, int fallback, int min = 0, int max = int.MaxValue) => (int)Long(name, fallback, min, max);

    /// <summary>A whole number within [min, max], or the fallback when the option is absent.</summary>
    public long Long(string name, long fallback, long min = 0, long max = long.MaxValue) => LongOrNull(name, min, max) ?? fallback;

    public long? LongOrNull(string name, long min = 0, long max = long.MaxValue)
    {
        string? v = Option(name);
        if (v is null) return null;
        if (!long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) || n < min || n > max)
            throw new UsageException($"{name} takes a whole number from {min:N0} to {max:N0}, not '{Token.Show(v)}'");
        return n;
    }

    /// <summary>A seed: hexadecimal (what the tool prints), with or without 0x.</summary>
    public ulong? Seed(string name)
    {
        string? v = Option(name);
        if (v is null) return null;
        if (!Seeds.TryParse(v, out ulong s)) throw new UsageException($"{name} takes a hexadecimal seed (as the tool prints it, e.g. 074a3f96f3a09df5), not '{Token.Show(v)}'");
        return s;
    }

    /// <summary>Positionals, after all options were read; an unread option is an error.</summary>
    public IReadOnlyList<string> Positionals()
    {
        var p = new List<string>();
        for (int i = 0; i < _args.Count; i++)
        {
            if (_used.Contains(i)) continue;
            if (_args[i].StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"unknown option {Token.Show(_args[i])}");
            p.Add(_args[i]);
        }
        return p;
    }

    /// <summary>No positionals: a command that takes none refuses stray words.</summary>
    public void NoPositionals(string command)
    {
        IReadOnlyList<string> p = Positionals();
        if (p.Count > 0) throw new UsageException($"{command} takes no file or word here, but was given '{Token.Show(p[0])}'");
    }
}

/// <summary>A bad command line: printed with a pointer to the command's --help, exit 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
