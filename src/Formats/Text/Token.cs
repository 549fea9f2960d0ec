namespace Fuzz.Formats.Text;

/// <summary>
/// A word of the user's input as an error message shows it: at most 40 characters (then "..."),
/// control characters as '?', so that a message stays one readable line whatever the input held
/// (a mutated file can put a million characters on one line).
/// </summary>
public static class Token
{
    public const int MaxShown = 40;

    public static string Show(string? text, int max = MaxShown)
    {
        if (text is null) return "";
        bool clean = text.Length <= max;
        for (int i = 0; clean && i < text.Length; i++) clean = !char.IsControl(text[i]);
        if (clean) return text;
        int n = Math.Min(text.Length, max);
        var chars = new char[n];
        for (int i = 0; i < n; i++) chars[i] = char.IsControl(text[i]) ? '?' : text[i];
        return new string(chars) + (text.Length > max ? "..." : "");
    }
}
