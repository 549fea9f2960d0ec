namespace Fuzz.Formats.Text;

/// <summary>
/// One writer per directory: an exclusive lock on the file <see cref="LockName"/> inside it, held
/// while this object lives. The lock is the operating system's (flock on Linux and macOS, a
/// sharing mode on Windows; .NET takes it for FileShare.None), so it is released on any exit,
/// kill -9 included, and a lock a dead process left behind is simply free again. Beside it,
/// <see cref="OwnerName"/> says who holds it (for the refusal message); a holder that ends cleanly
/// removes that file, so finding it when the lock was free means the previous writer was killed:
/// <see cref="Recovered"/> says whom the lock was recovered from.
/// (DOTNET_SYSTEM_IO_DISABLEFILELOCKING=1 turns .NET's file locks, and so this lock, off.)
/// </summary>
public sealed class DirectoryLock : IDisposable
{
    public const string LockName = ".fuzz-lock";
    public const string OwnerName = ".fuzz-owner";

    private readonly FileStream _lock;
    private readonly string _owner;
    private bool _released;

    private DirectoryLock(FileStream lockFile, string ownerPath, string? recovered)
    {
        _lock = lockFile;
        _owner = ownerPath;
        Recovered = recovered;
    }

    public string Directory { get; private init; } = "";

    /// <summary>Whether the lock is still held (not yet disposed).</summary>
    public bool Held => !_released;

    /// <summary>Who held the lock before it was recovered from a killed process ("pid 123 ..."), or null.</summary>
    public string? Recovered { get; }

    /// <summary>
    /// Take the directory's lock, or refuse with an <see cref="InputException"/> that says who holds
    /// it. <paramref name="purpose"/> names what this process is about to do ("resume", "merge").
    /// </summary>
    public static DirectoryLock Acquire(string dir, string purpose)
    {
        string lockPath = Path.Combine(dir, LockName), ownerPath = Path.Combine(dir, OwnerName);
        FileStream stream;
        try
        {
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException)
        {
            throw new InputException($"{dir}: permission denied (cannot create its {LockName} for this {purpose})");
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            string who = ReadOwner(ownerPath) ?? "another fuzz process";
            throw new InputException($"{dir} is in use: {who} is writing it, so this {purpose} is refused; wait for it to end, or stop it (Ctrl-C), and try again");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputException($"{dir}: no such directory");
        }
        string? recovered = ReadOwner(ownerPath);
        try
        {
            AtomicFile.Write(ownerPath, $"pid {Environment.ProcessId} on {Environment.MachineName}, since {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} ({purpose})\n");
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        return new DirectoryLock(stream, ownerPath, recovered) { Directory = dir };
    }

    private static string? ReadOwner(string path)
    {
        try
        {
            string line = File.Exists(path) ? File.ReadAllText(path).Split('\n')[0].Trim() : "";
            return line.Length == 0 ? null : line.Length > 200 ? line[..200] : line;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Release: the owner note goes first, so that whoever takes the lock next finds it clean.</summary>
    public void Dispose()
    {
        if (_released) return;
        _released = true;
        try
        {
            File.Delete(_owner);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        _lock.Dispose();
    }
}
