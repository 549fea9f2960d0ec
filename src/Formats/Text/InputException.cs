namespace Fuzz.Formats.Text;

/// <summary>
/// Input the tool refuses: a malformed or unreadable file, a directory it must not write into, a
/// request that contradicts itself. The message is one line meant for the user; the command prints
/// it and exits 2. <see cref="FileFormatException"/> is the kind that names a file and line.
/// </summary>
public class InputException(string message) : Exception(message);
