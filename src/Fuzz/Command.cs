namespace Fuzz;

/// <summary>
/// A subcommand of 'fuzz': its name, its usage text (what 'fuzz NAME --help' and 'fuzz --help'
/// print) and what runs it. Registering one in <see cref="CommandTable"/> is all a new command
/// needs for --help, error handling and Ctrl-C/SIGTERM (<see cref="Interrupt"/>).
/// </summary>
internal sealed record Command(string Name, string Usage, Func<CliArgs, int> Run);
