namespace Fuzz.Formats.Text;

/// <summary>
/// Reads an input file as text, turning every way that can fail into one clear
/// <see cref="InputException"/>: no such file, a directory, no permission, an I/O error, or a file
/// far larger than any of the tool's formats (which also stops an endless device such as /dev/zero).
/// </summary>
public static class TextFile
{
    /// <summary>Larger than any scenario, kernel, settings or campaign file the tool writes.</summary>
    public const int MaxBytes = 64 * 1024 * 1024;

    public static string Read(string path)
    {
        if (Directory.Exists(path)) throw new InputException($"{path} is a directory, not a file");
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(fs);
            var buffer = new char[64 * 1024];
            var text = new System.Text.StringBuilder();
            int n;
            while ((n = reader.Read(buffer, 0, buffer.Length)) > 0)
            {
                text.Append(buffer, 0, n);
                if (text.Length > MaxBytes) throw new InputException($"{path} is larger than {MaxBytes / (1024 * 1024)} MiB: not a file this tool reads");
            }
            return text.ToString();
        }
        catch (FileNotFoundException)
        {
            throw new InputException($"{path}: no such file");
        }
        catch (DirectoryNotFoundException)
        {
            throw new InputException($"{path}: no such file (its directory does not exist)");
        }
        catch (UnauthorizedAccessException)
        {
            throw new InputException($"{path}: permission denied");
        }
        catch (IOException e)
        {
            throw new InputException($"{path}: cannot read it: {e.Message}");
        }
    }
}
