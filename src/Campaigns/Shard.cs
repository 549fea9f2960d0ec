namespace Fuzz.Campaigns;

/// <summary>
/// Shard i of n: this machine takes the scenario indices congruent to i modulo n, so that n
/// machines started with the same seed (a Kubernetes Indexed Job, a CI matrix, a Slurm array) do
/// disjoint work and 'fuzz merge' can add them up. Within a shard, worker w of W takes every W-th
/// of those: index = i + n * (w + W * k).
/// </summary>
public readonly record struct Shard(int Index, int Count)
{
    public static Shard Whole => new(0, 1);

    public static bool TryParse(string text, out Shard shard)
    {
        shard = Whole;
        string[] p = text.Split('/');
        if (p.Length != 2 || !int.TryParse(p[0], out int i) || !int.TryParse(p[1], out int n) || n < 1 || n > CampaignLimits.MaxShards || i < 0 || i >= n) return false;
        shard = new Shard(i, n);
        return true;
    }

    /// <summary>The first scenario index of worker w (of <paramref name="workers"/>) after it ran <paramref name="done"/> scenarios.</summary>
    public ulong FirstIndex(int worker, int workers, long done) => (ulong)Index + (ulong)Count * ((ulong)worker + (ulong)workers * (ulong)done);

    /// <summary>The step between a worker's consecutive scenario indices.</summary>
    public ulong Stride(int workers) => (ulong)Count * (ulong)workers;

    public override string ToString() => $"{Index}/{Count}";
}
