namespace Fuzz.Model.Kernel;

/// <summary>What a step does, as far as ordering arguments care (the audit moves flushes and notifies).</summary>
public enum StepCategory : byte
{
    Hardware,
    Lock,
    Unlock,
    Wait,
    Check,
    Entry,
    Page,
    PteWrite,
    TlbFlush,
    SecondaryFlush,
    Gather,
    Task,
}
