using System.Runtime.InteropServices;

namespace Fuzz;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM, one mechanism for every command. A command that can stop cleanly
/// (run, campaign, audit, ...) takes <see cref="Token"/>: the first of either signal then cancels it,
/// so it finishes its scenario, saves what it found and prints its summary; a second signal ends the
/// process at once. A command that never takes the token is short and ends at once on either signal,
/// as without any handler. A scheduler's stop (kill, Kubernetes, Slurm) is SIGTERM, so it gets the
/// same clean stop as a user's Ctrl-C.
/// </summary>
internal static class Interrupt
{
    private static readonly CancellationTokenSource Source = new();
    private static readonly List<PosixSignalRegistration> Registrations = new();
    private static int _listening;
    private static int _signals;

    /// <summary>Called once by Main, before any command runs.</summary>
    public static void Install()
    {
        foreach (PosixSignal signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            try
            {
                Registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
            }
            catch (PlatformNotSupportedException)
            {
                // A platform without this signal: the default action stays.
            }
        }
    }

    /// <summary>The token a command that stops cleanly watches; taking it is what makes the first signal a clean stop.</summary>
    public static CancellationToken Token
    {
        get
        {
            Volatile.Write(ref _listening, 1);
            return Source.Token;
        }
    }

    public static bool Requested => Source.IsCancellationRequested;

    private static void OnSignal(PosixSignalContext context)
    {
        if (Volatile.Read(ref _listening) == 0) return;
        if (Interlocked.Increment(ref _signals) > 1) return;
        context.Cancel = true;
        Console.Error.WriteLine();
        Console.Error.WriteLine($"fuzz: {(context.Signal == PosixSignal.SIGTERM ? "SIGTERM" : "Ctrl-C")}: stopping after the current scenario (again to stop at once)");
        Source.Cancel();
    }
}
