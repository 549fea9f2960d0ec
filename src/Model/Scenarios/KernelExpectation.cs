namespace Fuzz.Model.Scenarios;

/// <summary>A verdict a scenario expects under a kernel other than its own (the fix, typically).</summary>
public readonly record struct KernelExpectation(string Kernel, Expectation Expect)
{
    public override string ToString() => $"{Expect} under {Kernel}";
}
