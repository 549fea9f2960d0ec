using System.Diagnostics;
using Fuzz.Formats.Kernels;
using Fuzz.Formats.Text;
using Fuzz.Generators;
using Fuzz.Model.Kernel;
using Fuzz.Model.Variants;
using Fuzz.Search.Audit;
using Fuzz.Search.Fuzzing;

namespace Fuzz.Commands;

/// <summary>
/// fuzz audit: is each step of each recipe needed, may each flush leave the lock? Fuzzes every
/// mutant of the kernel (one step removed, or one flush/notify moved past the next unlock) within a
/// scenario budget, prints one table, saves each caught mutant's kernel and shrunk scenario.
/// Exit 0 when every step that must be caught was, 1 otherwise.
/// </summary>
internal static class AuditCommand
{
    public const string Usage = """
        audit [--kernel K] [--budget 250000] [--workers N] [--seed S] [--recipe R]
              [--only "RECIPE: EDIT"] [--settings FILE] [--out DIR | --no-save] [--complete [--every-scope]]
            For every recipe, fuzz each mutant (a step removed; a check forced true or
            false; a flush or notify moved past the next unlock) for --budget scenarios; print which are caught, with
            the oracle and shrunk size, and which never are. Caught mutants are saved
            with their kernel files (default: audit/ of the repository; --out DIR a new or
            empty directory, or one an audit created). Exit 1 when a step the audit must
            catch was not caught. --complete verifies each mutant exhaustively instead of
            fuzzing it: over the smallest shipped audit scope that reaches its edit, in the
            scenarios where the base kernel (searched over the scopes first) runs the edited
            step; an edit it must catch that is coherent there goes on to the next scope
            (--every-scope: every edit does).
        """;

    public static int Run(CliArgs args)
    {
        string kernelRef = args.Option("--kernel") ?? KernelDefinition.FixedName;
        long budget = args.Long("--budget", AuditOptions.DefaultBudget, 1, 100_000_000);
        int workers = args.Int("--workers", Environment.ProcessorCount, 1, 1024);
        ulong? seedGiven = args.Seed("--seed");
        string? only = args.Option("--only");
        string? recipe = args.Option("--recipe");
        string? settingsFile = args.Option("--settings");
        string? outDir = args.Option("--out");
        bool noSave = args.Flag("--no-save");
        bool complete = args.Flag("--complete");
        bool everyScope = args.Flag("--every-scope");
        args.NoPositionals("audit");
        if (outDir is not null && noSave) throw new UsageException("give --out DIR or --no-save, not both");
        if (everyScope && !complete) throw new UsageException("--every-scope goes with --complete");

        KernelDefinition kernel = KernelLoader.Load(kernelRef, Directory.GetCurrentDirectory());
        string baseRef = BaseReference(kernelRef);
        ulong seed = seedGiven ?? 1;
        GeneratorSettings settings = settingsFile is null ? GeneratorSettings.Default : GeneratorSettings.Load(settingsFile);

        IReadOnlyList<Mutant> mutants = MutantCatalog.Of(kernel);
        if (recipe is not null)
        {
            if (!KernelDefinition.TryParseRecipe(recipe, out RecipeId rid)) throw new UsageException($"unknown recipe '{Token.Show(recipe)}'; recipes are: {string.Join(", ", Enum.GetValues<RecipeId>())}");
            mutants = mutants.Where(m => m.Recipe == rid).ToList();
        }
        if (only is not null)
        {
            mutants = mutants.Where(m => m.Id == only.Trim()).ToList();
            if (mutants.Count == 0) throw new UsageException($"no mutant '{Token.Show(only)}'; mutants are named like \"wp_page_copy: remove flush_tlb_page\" (see the audit table)");
        }
        foreach (string missing in Requirements.Missing(kernel))
            Console.WriteLine($"warning: the audit's must-catch list names '{missing}', which this kernel does not have");

        string directory = outDir ?? DefaultDir();
        // The table file is replaced on every audit: only in a directory an audit created (or the
        // repository's audit/ of an earlier version, holding only what audits write).
        if (!noSave) ToolDirectory.Claim(directory, "audit", legacy: outDir is null ? OnlyAuditFiles : null);
        CancellationToken cancel = Interrupt.Token;
        var line = new ProgressLine();
        var clock = Stopwatch.StartNew();
        IReadOnlyList<AuditScope>? scopes = null;
        if (complete)
        {
            // The base kernel over every audit scope first: which scopes, and which of their scenarios, run each recipe.
            try
            {
                scopes = AuditScopes.Prepare(kernel, kernelRef, Directory.GetCurrentDirectory(), workers,
                    (name, p) => line.Update($"  {kernel.Name} over scope {name}: {p.Done:N0}/{p.Total:N0} scenarios, {p.States:N0} states  {clock.Elapsed.TotalSeconds:F0} s"), cancel);
            }
            catch (OperationCanceledException)
            {
                line.Break();
                Console.WriteLine($"stopped while searching {kernel.Name} over the audit scopes, before any mutant ran ({clock.Elapsed.TotalSeconds:F0} s)");
                return 1;
            }
            line.Break();
            Console.WriteLine($"  {kernel.Name} over the audit scopes: {scopes.Sum(s => s.Scenarios):N0} scenarios in {clock.Elapsed.TotalSeconds:F0} s");
        }
        var options = new AuditOptions
        {
            Kernel = kernel, KernelRef = baseRef, Settings = settings, Budget = budget, Workers = workers, Seed = seed,
            CompleteScopes = scopes, EveryScope = everyScope,
        };
        foreach (AuditScope s in options.CompleteScopes ?? [])
        {
            if (!s.BaseCoherent) Console.WriteLine($"warning: {kernel.Name} itself is not coherent over scope {s.Scope.Name}: run 'fuzz verify --kernel {kernelRef} --scope {s.Scope.Name}'");
        }
        Console.WriteLine(complete
            ? $"fuzz audit --complete: {mutants.Count} mutants of {kernel.Name}, each searched over the smallest of the scopes {string.Join(", ", options.CompleteScopes!.Select(s => $"{s.Scope.Name} ({s.Scenarios} scenarios)"))} that reaches its edit{(everyScope ? ", then the next ones until one catches it" : " (an edit it must catch: the next ones too, until one catches it)")}, {workers} worker(s)"
            : $"fuzz audit: {mutants.Count} mutants of {kernel.Name}, {budget:N0} scenarios each ({budget * options.RequiredFactor:N0} for those it must catch), {workers} worker(s), seed {Seeds.Format(seed)}");
        if (!noSave) Console.WriteLine($"  caught mutants are saved to {Path.GetRelativePath(Directory.GetCurrentDirectory(), directory)}/");

        int caught = 0;
        var date = DateOnly.FromDateTime(DateTime.UtcNow);
        AuditResult[] results = new AuditRunner(options).Run(mutants, (r, finished) =>
        {
            if (r.Caught) caught++;
            line.Update($"  {finished}/{mutants.Count} mutants  caught {caught}  {clock.Elapsed.TotalSeconds:F0} s  last: {r.Mutant.Id}");
        }, cancel);
        line.Break();
        if (!noSave)
        {
            for (int i = 0; i < results.Length; i++) results[i] = AuditStore.Save(directory, results[i], baseRef, date, Regenerate(results[i].Mutant, kernelRef, seedGiven, budget, settingsFile));
        }

        Console.WriteLine();
        var table = AuditTable.Lines(results, budget, options.RequiredFactor).ToList();
        foreach (string l in table) Console.WriteLine(l);
        Console.WriteLine();
        Console.WriteLine($"audit took {clock.Elapsed.TotalSeconds:F0} s" + (results.Length < mutants.Count ? $" (interrupted: {results.Length} of {mutants.Count} mutants ran)" : ""));
        if (!noSave && results.Length > 0)
        {
            string tablePath = Path.Combine(directory, $"audit-{RegressionStore.Safe(kernel.Name)}.txt");
            AtomicFile.Write(tablePath, string.Join('\n', table) + "\n");
            Console.WriteLine($"table: {Path.GetRelativePath(Directory.GetCurrentDirectory(), tablePath)}");
            Console.WriteLine($"replay a caught mutant: {Invocation.Fuzz("replay " + Invocation.Quote(Path.GetRelativePath(Directory.GetCurrentDirectory(), directory)) + "/FILE.scenario")}");
        }
        bool allRequired = results.Where(r => r.Mutant.Requirement != Requirement.None).All(r => r.Caught);
        return allRequired ? 0 : 1;
    }

    /// <summary>Mutant files name their base as the user did, or by absolute path when it was a relative path.</summary>
    private static string BaseReference(string kernelRef)
    {
        if (kernelRef == KernelDefinition.FixedName || !KernelLoader.IsPath(kernelRef)) return kernelRef;
        return Path.GetFullPath(kernelRef);
    }

    /// <summary>
    /// The command that reruns one mutant's audit with everything that decides its scenarios (kernel,
    /// seed, budget, settings), so it finds the same counterexample again.
    /// </summary>
    private static string Regenerate(Mutant m, string kernelRef, ulong? seed, long budget, string? settingsFile) =>
        "dotnet run --project src/Fuzz -c Release -- audit --only " + Invocation.Quote(m.Id) +
        (kernelRef == KernelDefinition.FixedName ? "" : " --kernel " + Invocation.Quote(kernelRef)) +
        (seed is { } s ? $" --seed {Seeds.Format(s)}" : "") +
        (budget == AuditOptions.DefaultBudget ? "" : $" --budget {budget}") +
        (settingsFile is null ? "" : " --settings " + Invocation.Quote(settingsFile)) + " --no-save";

    private static bool OnlyAuditFiles(string dir) =>
        Directory.EnumerateDirectories(dir).FirstOrDefault() is null &&
        Directory.EnumerateFiles(dir).All(f => Path.GetFileName(f) is var n && (n.EndsWith(".kernel", StringComparison.Ordinal)
            || n.EndsWith(".scenario", StringComparison.Ordinal) || (n.StartsWith("audit-", StringComparison.Ordinal) && n.EndsWith(".txt", StringComparison.Ordinal)) || n.StartsWith('.')));

    private static string DefaultDir()
    {
        string? root = KernelLoader.RepoRoot(Directory.GetCurrentDirectory());
        return Path.Combine(root ?? Directory.GetCurrentDirectory(), "audit");
    }
}
