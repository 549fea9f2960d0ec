using System.Collections.Concurrent;

namespace Fuzz.Mutation;

/// <summary>
/// Counts of one phase (in-process, or through the program): accepted, refused with an input error,
/// failures (distinct by type, message and place, each with the first mutant that showed it, kept
/// on disk to rerun), and hangs.
/// </summary>
internal sealed class Tally(string name)
{
    private readonly ConcurrentDictionary<Kind, int> _byKind = new();
    private readonly ConcurrentDictionary<string, (int Count, string Example)> _failures = new();
    private readonly ConcurrentBag<string> _hangs = new();
    private int _accepted, _refused;

    public string Name => name;
    public int Accepted => _accepted;
    public int Refused => _refused;
    public int Failures => _failures.Values.Sum(f => f.Count);
    public int Hangs => _hangs.Count;
    public int Total => _accepted + _refused + Failures + Hangs;

    public void Saw(Kind kind) => _byKind.AddOrUpdate(kind, 1, (_, n) => n + 1);
    public void Accept() => Interlocked.Increment(ref _accepted);
    public void Refuse() => Interlocked.Increment(ref _refused);
    public void Fail(string signature, string example) => _failures.AddOrUpdate(signature, (1, example), (_, f) => (f.Count + 1, f.Example));
    public void Hang(string example) => _hangs.Add(example);

    public IEnumerable<string> Lines()
    {
        yield return $"{name}: {Total:N0} mutants ({string.Join(", ", _byKind.OrderBy(k => k.Key).Select(k => $"{k.Key.ToString().ToLowerInvariant()} {k.Value:N0}"))})";
        yield return $"  accepted {Accepted:N0}, refused with an input error (file:line) {Refused:N0}";
        yield return $"  {Failures} unhandled exceptions, {Hangs} hangs";
        foreach (var (signature, (count, example)) in _failures.OrderByDescending(f => f.Value.Count))
            yield return $"  FAILURE x{count}: {signature}\n    first: {example}";
        foreach (string h in _hangs.Take(20)) yield return $"  HANG: {h}";
    }
}
