using System.Diagnostics;
using Fuzz.Formats.Kernels;
using Fuzz.Formats.Text;
using Fuzz.Tests.Shared;

namespace Fuzz.Mutation;

/// <summary>
/// scripts/mutate: seeded mutants of every file format through the parsers and their consumers
/// in-process, and every --cli-th one also through the real program; prints the counts, each
/// distinct unhandled exception and each hang, with the mutant kept on disk. Exit 0 when there was
/// neither, 1 otherwise, 2 on a usage error.
/// </summary>
internal static class Program
{
    private const string Usage = "usage: Fuzz.Mutation [--mutants 20000] [--cli 500] [--seed 1] [--timeout 30] [--keep DIR] [--only N (rerun mutant N alone)]";

    public static int Main(string[] args)
    {
        int mutants = 20_000, cli = 500, timeout = 30;
        ulong seed = 1;
        string? keep = null;
        int only = -1;
        for (int i = 0; i < args.Length; i += 2)
        {
            string? v = i + 1 < args.Length ? args[i + 1] : null;
            bool ok = args[i] switch
            {
                "--mutants" => int.TryParse(v, out mutants) && mutants > 0,
                "--cli" => int.TryParse(v, out cli) && cli >= 0,
                "--seed" => ulong.TryParse(v, out seed),
                "--timeout" => int.TryParse(v, out timeout) && timeout > 0,
                "--keep" => (keep = v) is not null,
                "--only" => int.TryParse(v, out only),
                _ => false,
            };
            if (!ok)
            {
                Console.Error.WriteLine(Usage);
                return 2;
            }
        }
        string root = KernelLoader.RepoRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("Fuzz.sln not found");
        string scratch = Path.Combine(Path.GetTempPath(), $"fuzz-mutants-{Environment.ProcessId}");
        keep ??= Path.Combine(Path.GetTempPath(), $"fuzz-mutants-kept-{Environment.ProcessId}");
        var clock = Stopwatch.StartNew();
        try
        {
            Corpus corpus = Corpus.Build(root, scratch);
            Console.WriteLine($"mutate: {mutants:N0} mutants (seed {seed}), {cli:N0} of them also through the program; failures are kept in {keep}");
            var inProcess = new Tally("in-process");
            var program = new Tally("through the program");
            var cliRunner = new CliSample(root, TimeSpan.FromSeconds(timeout * 2));
            int stride = cli == 0 ? int.MaxValue : Math.Max(1, mutants / cli);
            Kind[] kinds = Enum.GetValues<Kind>();
            int next = -1;
            var workers = new Thread[Environment.ProcessorCount];
            for (int w = 0; w < workers.Length; w++)
            {
                workers[w] = new Thread(() =>
                {
                    for (int i = Interlocked.Increment(ref next); i < mutants; i = Interlocked.Increment(ref next))
                    {
                        if (only >= 0 && i != only) continue;
                        Kind kind = kinds[i % kinds.Length];
                        var originals = corpus.Originals[kind];
                        var (name, text) = originals[(i / kinds.Length) % originals.Count];
                        string mutant = Mutator.Mutate(text, seed * 1_000_003UL + (ulong)i, originals.Select(o => o.Text).ToList());
                        string path = corpus.Place(kind, i, name, mutant);
                        string what = $"mutant {i} of {kind.ToString().ToLowerInvariant()} {name}";
                        InProcess(inProcess, kind, path, scratch, i, what, keep, timeout);
                        // One mutant in every block of 'stride', at an offset that turns with the block, so every kind gets its share.
                        if (cli > 0 && i % stride == (i / stride) % kinds.Length % stride) cliRunner.Run(program, kind, path, scratch, i, what, keep);
                        Corpus.Remove(kind, path);
                        if (i > 0 && i % 1000 == 0) Console.WriteLine($"  {i:N0} mutants, {clock.Elapsed.TotalSeconds:F0} s, {inProcess.Failures + program.Failures} failures, {inProcess.Hangs + program.Hangs} hangs");
                    }
                }, 16 * 1024 * 1024) { IsBackground = true };
                workers[w].Start();
            }
            foreach (Thread t in workers) t.Join();
            foreach (string line in inProcess.Lines().Concat(program.Lines())) Console.WriteLine(line);
            Console.WriteLine($"mutate: {mutants:N0} mutants in {clock.Elapsed.TotalSeconds:F0} s: " +
                $"{inProcess.Failures + program.Failures} unhandled exceptions, {inProcess.Hangs + program.Hangs} hangs");
            return inProcess.Failures + program.Failures + inProcess.Hangs + program.Hangs == 0 ? 0 : 1;
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Consume one mutant in-process within the timeout; returns whether it was kept as a failure.</summary>
    private static bool InProcess(Tally tally, Kind kind, string path, string scratch, int index, string what, string keep, int timeout)
    {
        tally.Saw(kind);
        Exception? error = null;
        var task = Task.Factory.StartNew(() =>
        {
            try
            {
                Consumers.Consume(kind, path, scratch, index);
            }
            catch (Exception e)
            {
                error = e;
            }
        }, TaskCreationOptions.LongRunning);
        if (!task.Wait(TimeSpan.FromSeconds(timeout)))
        {
            tally.Hang($"{what}: still running after {timeout} s; kept as {Keep(kind, path, keep, index)}");
            return true;
        }
        if (error is null) tally.Accept();
        else if (Consumers.IsInputError(error)) tally.Refuse();
        else
        {
            string frame = error.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("Fuzz.", StringComparison.Ordinal))?.Trim() ?? "";
            tally.Fail($"{error.GetType().Name}: {Token.Show(error.Message, 160)} {frame}", $"{what}, kept as {Keep(kind, path, keep, index)}");
            return true;
        }
        return false;
    }

    /// <summary>Copy a failing mutant out of the scratch area, to rerun by hand.</summary>
    internal static string Keep(Kind kind, string path, string keep, int index)
    {
        string dest = Path.Combine(keep, $"{index}-{Path.GetFileName(path)}");
        Directory.CreateDirectory(keep);
        if (kind == Kind.Campaign)
        {
            foreach (string file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
            {
                string to = Path.Combine(dest, Path.GetRelativePath(path, file));
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(file, to, overwrite: true);
            }
        }
        else if (File.Exists(path))
        {
            File.Copy(path, dest, overwrite: true);
        }
        return dest;
    }
}
