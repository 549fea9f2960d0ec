namespace Fuzz.Formats.Text;

/// <summary>A line of a text file with its number, its comment stripped and its comment kept.</summary>
public readonly record struct SourceLine(int Number, string Text, string? Comment, bool Indented)
{
    /// <summary>
    /// Split a file into lines, ended by LF, CRLF or a lone CR (old Mac editors), so that a file with
    /// any of them reads as the lines it shows. "#" starts a comment at the start of a line or after
    /// white space (so that step references like put_page#2 keep their '#'); blank lines are kept as
    /// empty text.
    /// </summary>
    public static IEnumerable<SourceLine> Read(string content)
    {
        string[] lines = content.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string raw = lines[i];
            int hash = CommentStart(raw);
            string text = hash >= 0 ? raw[..hash] : raw;
            string? comment = hash >= 0 ? raw[(hash + 1)..].TrimEnd() : null;
            bool indented = raw.Length > 0 && char.IsWhiteSpace(raw[0]);
            yield return new SourceLine(i + 1, text.Trim(), comment, indented);
        }
    }

    private static int CommentStart(string raw)
    {
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '#' && (i == 0 || char.IsWhiteSpace(raw[i - 1]))) return i;
        }
        return -1;
    }

    public string[] Words => Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}
