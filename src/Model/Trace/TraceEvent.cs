using Fuzz.Model.Kernel;

namespace Fuzz.Model.Trace;

/// <summary>
/// One line of the trace. Recorded unformatted (numbers only) so that tracing costs no allocation;
/// Fuzz.Reporting renders it in kernel vocabulary when a failure is shown.
/// </summary>
public struct TraceEvent
{
    public int Tick;
    public byte Agent;
    public TraceKind Kind;
    public StepId Step;
    public Operand Operand;
    public RecipeId Recipe;
    public bool Local;
    public bool IsCheck;
    /// <summary>A check's answer, or whether an access/translation succeeded.</summary>
    public bool Result;
    public sbyte Mm;
    public sbyte Va;
    /// <summary>The frame the step dealt with, or -1.</summary>
    public short Pfn;
    /// <summary>A value read or written, a count, or a second frame, depending on the step.</summary>
    public int Value;
    /// <summary>Step-specific detail: writable bit, what a flush hit, ...</summary>
    public int Detail;
    /// <summary>For OpBegin/OpEnd: the flat operation index.</summary>
    public int Op;
}
