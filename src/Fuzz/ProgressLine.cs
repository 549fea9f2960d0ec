namespace Fuzz;

/// <summary>A status line that refreshes in place on a terminal, and prints a line every few seconds otherwise.</summary>
internal sealed class ProgressLine
{
    private readonly bool _terminal = !Console.IsOutputRedirected;
    private int _width;
    private DateTime _lastPrinted = DateTime.MinValue;

    public void Update(string text)
    {
        if (_terminal)
        {
            Console.Write("\r" + text.PadRight(_width));
            _width = text.Length;
            return;
        }
        if (DateTime.UtcNow - _lastPrinted < TimeSpan.FromSeconds(5)) return;
        _lastPrinted = DateTime.UtcNow;
        Console.WriteLine(text);
    }

    /// <summary>End the in-place line so that other output starts on a fresh line.</summary>
    public void Break()
    {
        if (_terminal && _width > 0) Console.WriteLine();
        _width = 0;
    }
}
