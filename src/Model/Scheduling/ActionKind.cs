namespace Fuzz.Model.Scheduling;

public enum ActionKind : byte
{
    /// <summary>The agent runs its next step.</summary>
    Step,
    /// <summary>Hardware fills a TLB (CPU) or ATC (device, a speculative ATS request) entry from the PTE.</summary>
    Fill,
    /// <summary>Hardware drops a TLB or ATC entry.</summary>
    Evict,
}
