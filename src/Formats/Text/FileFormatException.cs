namespace Fuzz.Formats.Text;

/// <summary>A malformed scenario, variant, settings or campaign file: names the file and the line.</summary>
public sealed class FileFormatException : InputException
{
    public string File { get; }
    public int Line { get; }
    public string Reason { get; }

    public FileFormatException(string file, int line, string reason)
        : base(line > 0 ? $"{file}:{line}: {reason}" : $"{file}: {reason}")
    {
        File = file;
        Line = line;
        Reason = reason;
    }
}
