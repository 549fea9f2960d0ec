namespace Fuzz.Model.Kernel;

/// <summary>A recipe as text: numbered steps with the names a variant file uses, branches, calls and labels.</summary>
public static class RecipeListing
{
    /// <param name="knobs">When given, a notifier step names the driver callback it calls under them.</param>
    public static IEnumerable<string> Lines(RecipeDraft r, KernelKnobs? knobs = null)
    {
        yield return $"{r.Name}    ({r.Source})";
        int n = 0;
        foreach (var (d, i) in r.Code.Select((d, i) => (d, i)))
        {
            switch (d.Kind)
            {
                case InstrKind.Label:
                    yield return $"        {d.Label}:";
                    break;
                case InstrKind.Step:
                    yield return $"  {++n,3}   {r.ReferenceOf(i),-44}{Tag(d.Step)}{Calls(d.Step, knobs)}{d.Annotation}".TrimEnd();
                    break;
                case InstrKind.Check:
                    string cond = d.BranchWhen ? "if" : "if not";
                    yield return $"  {++n,3}   {r.ReferenceOf(i),-44}{Tag(d.Step)}  {cond} -> {d.Target}{d.Annotation}";
                    break;
                case InstrKind.Call:
                    string callee = d.Operand == Operand.None ? d.Callee.ToString() : $"{d.Callee}({OperandNames.Of(d.Operand)})";
                    yield return (d.Target is null
                        ? $"        call {callee}"
                        : $"        call {callee}, if it {(d.BranchWhen ? "succeeds" : "fails")} -> {d.Target}") + d.Annotation;
                    break;
                case InstrKind.RmapBegin:
                    yield return $"        for each {(d.Operand == Operand.Migration ? "migration entry of" : "mapping of")} the page (rmap walk; none -> {d.Target}):";
                    break;
                case InstrKind.RmapNext:
                    yield return $"        next mapping -> {d.Target}";
                    break;
                case InstrKind.Goto:
                    yield return $"        goto {d.Target}";
                    break;
                case InstrKind.LoopBegin:
                    yield return d.Operand == Operand.Pmd ? "        for each PTE page of the range:" : "        for each page of the range:";
                    break;
                case InstrKind.LoopEnd:
                    yield return d.Operand == Operand.Pmd ? $"        next PTE page -> {d.Target}" : $"        next page -> {d.Target}";
                    break;
                case InstrKind.Return:
                    yield return d.BranchWhen ? "        return" : "        return failure";
                    break;
            }
        }
    }

    private static string Calls(StepId step, KernelKnobs? knobs) =>
        knobs is null || NotifierCallbacks.OfStep(step) is null ? ""
        : NotifierCallbacks.Callee(knobs, step) is { } callee ? $"  -> {callee}" : "  (no callback)";

    private static string Tag(StepId id)
    {
        StepInfo info = StepCatalog.Info(id);
        return (info.Local ? " (zero-time)" : "") + (info.Model ? " (model)" : "");
    }
}
