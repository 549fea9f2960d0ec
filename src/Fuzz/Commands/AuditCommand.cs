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
    public static int Run(CliArgs args)
    {
        string kernelRef = args.Option("--kernel") ?? KernelDefinition.FixedName;
        long budget = args.Int("--budget", (int)AuditOptions.DefaultBudget, 1, 100_000_000);
        int workers = args.Int("--workers", Environment.ProcessorCount, 1, 1024);
        string? seedText = args.Option("--seed");
        string? only = args.Option("--only");
        string? recipe = args.Option("--recipe");
        string? settingsFile = args.Option("--settings");
        string? outDir = args.Option("--out");
        bool noSave = args.Flag("--no-save");
        bool complete = args.Flag("--complete");
        args.Positionals();

        KernelDefinition kernel = KernelLoader.Load(kernelRef, Directory.GetCurrentDirectory());
        string baseRef = BaseReference(kernelRef);
        ulong seed = 1;
        if (seedText is not null && !Seeds.TryParse(seedText, out seed)) throw new UsageException("--seed takes a hexadecimal seed");
        GeneratorSettings settings = settingsFile is null ? GeneratorSettings.Default : GeneratorSettings.Load(settingsFile);

        IReadOnlyList<Mutant> mutants = MutantCatalog.Of(kernel);
        if (recipe is not null)
        {
            if (!KernelDefinition.TryParseRecipe(recipe, out RecipeId rid)) throw new UsageException($"unknown recipe '{recipe}'");
            mutants = mutants.Where(m => m.Recipe == rid).ToList();
        }
        if (only is not null)
        {
            mutants = mutants.Where(m => m.Id == only.Trim()).ToList();
            if (mutants.Count == 0) throw new UsageException($"no mutant '{only}'; mutants are named like \"wp_page_copy: remove flush_tlb_page\" (see the audit table)");
        }
        foreach (string missing in Requirements.Missing(kernel))
            Console.WriteLine($"warning: the audit's must-catch list names '{missing}', which this kernel does not have");

        string directory = outDir ?? DefaultDir();
        var options = new AuditOptions
        {
            Kernel = kernel, KernelRef = baseRef, Settings = settings, Budget = budget, Workers = workers, Seed = seed,
            CompleteScopes = complete ? AuditScopes.Prepare(kernel, kernelRef, Directory.GetCurrentDirectory(), workers) : null,
        };
        foreach (AuditScope s in options.CompleteScopes ?? [])
        {
            if (!s.BaseCoherent) Console.WriteLine($"warning: {kernel.Name} itself is not coherent over scope {s.Scope.Name}: run 'fuzz verify --kernel {kernelRef} --scope {s.Scope.Name}'");
        }
        Console.WriteLine(complete
            ? $"fuzz audit --complete: {mutants.Count} mutants of {kernel.Name}, each searched over the smallest of the scopes {string.Join(", ", options.CompleteScopes!.Select(s => $"{s.Scope.Name} ({s.Scenarios} scenarios)"))} that reaches its recipe, {workers} worker(s)"
            : $"fuzz audit: {mutants.Count} mutants of {kernel.Name}, {budget:N0} scenarios each ({budget * options.RequiredFactor:N0} for those it must catch), {workers} worker(s), seed {Seeds.Format(seed)}");
        if (!noSave) Console.WriteLine($"  caught mutants are saved to {Path.GetRelativePath(Directory.GetCurrentDirectory(), directory)}/");

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        var line = new ProgressLine();
        var clock = Stopwatch.StartNew();
        int caught = 0;
        var date = DateOnly.FromDateTime(DateTime.UtcNow);
        AuditResult[] results = new AuditRunner(options).Run(mutants, (r, finished) =>
        {
            if (r.Caught) caught++;
            line.Update($"  {finished}/{mutants.Count} mutants  caught {caught}  {clock.Elapsed.TotalSeconds:F0} s  last: {r.Mutant.Id}");
        }, cancel.Token);
        line.Break();
        if (!noSave)
        {
            for (int i = 0; i < results.Length; i++) results[i] = AuditStore.Save(directory, results[i], baseRef, date);
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
            Console.WriteLine($"replay a caught mutant: dotnet run --project src/Fuzz -c Release -- replay {Path.GetRelativePath(Directory.GetCurrentDirectory(), directory)}/FILE.scenario");
        }
        bool allRequired = results.Where(r => r.Mutant.Requirement != Requirement.None).All(r => r.Caught);
        return allRequired ? 0 : 1;
    }

    /// <summary>Mutant files name their base as the user did, or by absolute path when it was a relative path.</summary>
    private static string BaseReference(string kernelRef)
    {
        if (kernelRef == KernelDefinition.BaseName || !KernelLoader.IsPath(kernelRef)) return kernelRef;
        return Path.GetFullPath(kernelRef);
    }

    private static string DefaultDir()
    {
        string? root = KernelLoader.RepoRoot(Directory.GetCurrentDirectory());
        return Path.Combine(root ?? Directory.GetCurrentDirectory(), "audit");
    }
}
