using System.Diagnostics;
using System.Text;
using Fuzz.Formats.Kernels;

namespace Fuzz.Tests.Integration;

/// <summary>The real 'fuzz' program (built with the solution, same configuration as these tests) in a child process.</summary>
public sealed class FuzzProcess : IDisposable
{
    private readonly StringBuilder _out = new(), _err = new();
    private readonly Process _p;

    public static string RepoRoot => KernelLoader.RepoRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("Fuzz.sln not found");

    private static string FuzzDll
    {
        get
        {
            string config = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            string dll = Path.Combine(RepoRoot, "src", "Fuzz", "bin", config, "net10.0", "fuzz.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"{dll} not built: build Fuzz.sln first");
        }
    }

    private FuzzProcess(string? workingDirectory, string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory ?? RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(FuzzDll);
        foreach (string a in args) psi.ArgumentList.Add(a);
        _p = Process.Start(psi)!;
        _p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_out) _out.Append(e.Data).Append('\n'); };
        _p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_err) _err.Append(e.Data).Append('\n'); };
        _p.BeginOutputReadLine();
        _p.BeginErrorReadLine();
    }

    public static FuzzProcess Start(params string[] args) => new(null, args);

    public static FuzzProcess StartIn(string workingDirectory, params string[] args) => new(workingDirectory, args);

    /// <summary>Run to the end (at most two minutes) and return the exit code and output.</summary>
    public static (int Exit, string Out, string Err) Run(params string[] args) => RunIn(null, args);

    public static (int Exit, string Out, string Err) RunIn(string? workingDirectory, params string[] args)
    {
        using var p = new FuzzProcess(workingDirectory, args);
        return p.Wait(TimeSpan.FromMinutes(2));
    }

    public int Id => _p.Id;

    public string Out { get { lock (_out) return _out.ToString(); } }

    public string Err { get { lock (_err) return _err.ToString(); } }

    public (int Exit, string Out, string Err) Wait(TimeSpan timeout)
    {
        if (!_p.WaitForExit(timeout))
        {
            _p.Kill(entireProcessTree: true);
            throw new TimeoutException($"fuzz did not end within {timeout}: {Out}{Err}");
        }
        _p.WaitForExit();
        return (_p.ExitCode, Out, Err);
    }

    /// <summary>Wait until the output holds <paramref name="text"/> (or fail after a minute).</summary>
    public void WaitFor(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (_p.HasExited || clock.Elapsed > TimeSpan.FromSeconds(90)) throw new TimeoutException($"never {what}: {Out}{Err}");
            Thread.Sleep(100);
        }
    }

    /// <summary>What a scheduler's stop sends.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _p.Id.ToString()])!;
        kill.WaitForExit();
    }

    /// <summary>kill -9.</summary>
    public void Kill()
    {
        _p.Kill(entireProcessTree: true);
        _p.WaitForExit();
    }

    public void Dispose()
    {
        if (!_p.HasExited) Kill();
        _p.Dispose();
    }
}
