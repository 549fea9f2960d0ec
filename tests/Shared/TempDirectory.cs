namespace Fuzz.Tests.Shared;

/// <summary>A fresh directory under the system's temporary folder, deleted with the test class.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix) => Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");

    public string Path { get; }

    public static implicit operator string(TempDirectory d) => d.Path;

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
