namespace Fuzz;

/// <summary>The usage text: the whole tool's ('fuzz --help') and one command's ('fuzz COMMAND --help').</summary>
internal static class Usage
{
    private const string Footer = """

        K is v4.14-fixed (the default: v4.14 and every later fix in kernels/fixes/), v4.14 (as released),
        a variant name from kernels/, or a path to a .kernel file.
        Seeds (S) are hexadecimal, as the tool prints them. Ctrl-C or SIGTERM stops a run, an audit or a
        campaign cleanly (again to stop at once). Exit status: 0 as expected, 1 something was found (or
        an expectation failed), 2 a bad argument or input file.
        From a clone, 'fuzz' is ./fuzz or 'dotnet run --project src/Fuzz -c Release --'.

        """;

    public static string All =>
        "usage: fuzz COMMAND [options]    (fuzz COMMAND --help: one command)\n\n" +
        string.Join("\n", CommandTable.All.Select(c => Indent(c.Usage))) + Footer;

    public static string Of(Command c) => "usage: fuzz " + c.Usage.TrimEnd() + "\n" + Footer;

    private static string Indent(string usage) =>
        string.Join("\n", usage.TrimEnd().Split('\n').Select(l => "  " + l)) + "\n";
}
