namespace Fuzz.Formats.Text;

/// <summary>
/// Writes that a kill -9 cannot tear: write to a temporary file in the same directory, flush it to
/// disk, then rename it onto the target (atomic on POSIX file systems).
/// </summary>
public static class AtomicFile
{
    /// <summary>Replace <paramref name="path"/> (or create it) with <paramref name="content"/>.</summary>
    public static void Write(string path, string content) =>
        WriteVia(path, content, tmp => File.Move(tmp, path, overwrite: true));

    /// <summary>
    /// Create <paramref name="path"/> only if nothing is there; returns false (and writes nothing)
    /// when a file already exists, so a saved file is never overwritten.
    /// </summary>
    public static bool CreateNew(string path, string content)
    {
        bool created = false;
        WriteVia(path, content, tmp =>
        {
            try
            {
                File.Move(tmp, path, overwrite: false);
                created = true;
            }
            catch (IOException) when (File.Exists(path))
            {
            }
        });
        return created;
    }

    private static void WriteVia(string path, string content, Action<string> publish)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        string tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var w = new StreamWriter(fs))
            {
                w.Write(content);
                w.Flush();
                fs.Flush(flushToDisk: true);
            }
            publish(tmp);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}
