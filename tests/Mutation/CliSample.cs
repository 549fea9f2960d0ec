using System.Diagnostics;

namespace Fuzz.Mutation;

/// <summary>
/// A mutant through the real program (src/Fuzz's Release build), as a user would give it: replay
/// a scenario, fuzz with a kernel or settings file, report, resume and merge a campaign. Correct
/// answers are exit 0 or 1, or exit 2 with one 'fuzz...' line; a stack trace, an 'internal error',
/// another exit code, or no end within the timeout is what the run reports.
/// </summary>
internal sealed class CliSample(string root, TimeSpan timeout)
{
    private readonly string _dll = Path.Combine(root, "src", "Fuzz", "bin", "Release", "net10.0", "fuzz.dll");

    public bool Run(Tally tally, Kind kind, string path, string scratch, int index, string what, string keep)
    {
        if (!File.Exists(_dll)) throw new FileNotFoundException($"{_dll}: build src/Fuzz -c Release first (scripts/mutate does)");
        tally.Saw(kind);
        string merged = Path.Combine(scratch, "cli-merged", $"mutant-{index}");
        string[] args = kind switch
        {
            Kind.Scenario => ["replay", path],
            Kind.Kernel => ["run", "--kernel", path, "--scenarios", "300", "--seed", "1", "--no-save"],
            Kind.Settings => ["run", "--settings", path, "--scenarios", "300", "--seed", "1", "--no-save"],
            Kind.Scope => ["verify", "--scope", path, "--seconds", "1", "--workers", "1", "--dir", Path.Combine(scratch, "verify", $"mutant-{index}")],
            _ => (index / 4 % 3) switch
            {
                0 => ["report", path],
                1 => ["merge", merged, path],
                _ => ["campaign", "--resume", path, "--seconds", "1"],
            },
        };
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = scratch };
        psi.ArgumentList.Add(_dll);
        foreach (string a in args) psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        string command = "fuzz " + string.Join(' ', args.Select(a => a.Length > 60 ? a[..60] + "..." : a));
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            tally.Hang($"{what}: '{command}' did not end within {timeout.TotalSeconds} s; kept as {Program.Keep(kind, path, keep, index)}");
            return true;
        }
        p.WaitForExit();
        string err = stderr.Result;
        _ = stdout.Result;
        if (Directory.Exists(merged)) Directory.Delete(merged, recursive: true);
        string[] lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // 'fuzz verify' exits 3 when its time budget ends before the scope does: a documented answer.
        bool done = p.ExitCode is 0 or 1 || (kind == Kind.Scope && p.ExitCode == 3);
        bool ok = done ? !err.Contains("   at ", StringComparison.Ordinal) && !err.Contains("internal error", StringComparison.Ordinal)
            : p.ExitCode == 2 && lines.Length is >= 1 and <= 2 && lines[0].StartsWith("fuzz", StringComparison.Ordinal) && !err.Contains("internal error", StringComparison.Ordinal);
        if (ok)
        {
            if (p.ExitCode == 2) tally.Refuse();
            else tally.Accept();
            return false;
        }
        string first = lines.FirstOrDefault() ?? "";
        tally.Fail($"'{args[0]}' exit {p.ExitCode}: {(first.Length > 160 ? first[..160] : first)}", $"{what} ('{command}'), kept as {Program.Keep(kind, path, keep, index)}");
        return true;
    }
}
