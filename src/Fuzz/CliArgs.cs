namespace Fuzz;

/// <summary>Minimal option parsing: --name value, --flag, and positionals; unknown options are errors.</summary>
internal sealed class CliArgs
{
    private readonly List<string> _args;
    private readonly HashSet<int> _used = new();

    public CliArgs(IEnumerable<string> args) => _args = args.ToList();

    public string? Option(string name)
    {
        for (int i = 0; i < _args.Count; i++)
        {
            if (_args[i] != name) continue;
            if (i + 1 >= _args.Count) throw new UsageException($"{name} needs a value");
            _used.Add(i);
            _used.Add(i + 1);
            return _args[i + 1];
        }
        return null;
    }

    public bool Flag(string name)
    {
        int i = _args.IndexOf(name);
        if (i < 0) return false;
        _used.Add(i);
        return true;
    }

    public int Int(string name, int fallback, int min = 0, int max = int.MaxValue)
    {
        string? v = Option(name);
        if (v is null) return fallback;
        if (!int.TryParse(v, out int n) || n < min || n > max) throw new UsageException($"{name} takes a number from {min} to {max}");
        return n;
    }

    /// <summary>Positionals, after all options were read; an unread option is an error.</summary>
    public IReadOnlyList<string> Positionals()
    {
        var p = new List<string>();
        for (int i = 0; i < _args.Count; i++)
        {
            if (_used.Contains(i)) continue;
            if (_args[i].StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"unknown option {_args[i]}");
            p.Add(_args[i]);
        }
        return p;
    }
}

internal sealed class UsageException(string message) : Exception(message);
