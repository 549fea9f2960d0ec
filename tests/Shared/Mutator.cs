using System.Text;
using Fuzz.Model.Scheduling;

namespace Fuzz.Tests.Shared;

/// <summary>
/// Seeded mutants of a text file, for robustness tests of the parsers: the same (text, seed) gives
/// the same mutant on every run. Each mutant applies one to three edits a damaged or hand-edited
/// file shows: lines deleted, repeated, swapped or taken from another file of the kind; words
/// replaced by boundary numbers, other keywords, paths, huge or empty words; characters flipped;
/// line ends changed; the file cut short.
/// </summary>
public static class Mutator
{
    /// <summary>Words the formats give meaning to, and values at the edges of what they accept.</summary>
    private static readonly string[] Words =
    [
        "0", "1", "-1", "2", "7", "4000", "4001", "65", "100", "101", "2147483647", "-2147483648", "2147483648",
        "9223372036854775807", "-9223372036854775808", "99999999999999999999", "0x10", "1e9", "ff", "zz", "",
        "scenario", "kernel", "expect", "coherent", "violation", "under", "cpus", "pages", "device", "page", "cpu",
        "device:", "ksmd:", "kswapd:", "kcompactd:", "schedule:", "zero", "shared", "swapped", "rw", "ro",
        "mm0", "mm1", "mm2", "mm-1", "A", "B", "H", "I", "Z", "A-B", "B-A", "A-Z", "load", "store", "fork",
        "madvise_dontneed", "odirect_read", "dma_read", "dma_write", "ksm_merge", "swap_out", "migrate",
        "CPU0", "CPU3", "CPU4", "DEV", "kworker", "ksmd", "CPU0*4000", "CPU0*4001", "CPU0*0", "CPU1.fill:A",
        "DEV.evict:H", "CPU0.fill:Z", "linearizability", "accounting", "nonsense", "v4.14", "seed-b", "nosuch",
        "seed-b.kernel", "./nosuch.kernel", "../README.md", "/", ".", "..", "/etc", "base", "name", "remove",
        "move", "replace", "insert", "before", "after", "with", "set", "iommu", "intel_svm", "batched_reclaim",
        "wp_page_copy", "flush_tlb_page", "put_page(page)#2", "pte_same", "mmu_notifier_invalidate_range",
        "campaign", "seed", "shard", "0/1", "1/1", "3/2", "0/0", "-1/2", "workers", "budget-seconds",
        "scenarios-per-worker", "max-failures", "oracle", "any", "created", "setting", "merged-from", "worker",
        "index", "done", "elapsed-ms", "ticks", "ops", "steps", "timeline", "sample", "findings", "finding",
        "after-scenarios", "shrink-ms", "shrunk-ops", "x.scenario", "../x.scenario", "=", "MaxOps", "MinCpus",
        "DevicePercent", "LoadWeight", "ScheduleTokensPerOp", "#", ";", ":", "\t", "\u00e9", "\u0000", "\uffff",
    ];

    /// <summary>The longest mutant: far beyond any real file of these formats, small enough to hold many at once.</summary>
    public const int MaxLength = 2 * 1024 * 1024;

    public static string Mutate(string text, ulong seed, IReadOnlyList<string>? kin = null)
    {
        var rng = new Pcg32(seed, stream: 9);
        string result = text;
        int edits = 1 + rng.Next(3);
        for (int i = 0; i < edits; i++)
        {
            result = Edit(result, ref rng, kin);
            // Edits compound (a huge word repeated, a huge line copied): keep a mutant a file, not gigabytes.
            if (result.Length > MaxLength) result = result[..MaxLength];
        }
        return result;
    }

    private static string Edit(string text, ref Pcg32 rng, IReadOnlyList<string>? kin)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n').ToList();
        // Mostly a line that says something: shipped regressions are mostly their comment table.
        var meaningful = Enumerable.Range(0, lines.Count).Where(i => lines[i].Trim() is { Length: > 0 } t && t[0] != '#').ToList();
        int at = meaningful.Count > 0 && rng.Chance(85) ? meaningful[rng.Next(meaningful.Count)] : rng.Next(lines.Count);
        switch (rng.Next(16))
        {
            case 0:
                lines.RemoveAt(at);
                break;
            case 1:
                int times = Math.Min(rng.Chance(50) ? 2 + rng.Next(30) : 1, MaxLength / (lines[at].Length + 1));
                for (int k = 0; k < times; k++) lines.Insert(at, lines[at]);
                break;
            case 2:
                int other = rng.Next(lines.Count);
                (lines[at], lines[other]) = (lines[other], lines[at]);
                break;
            case 3:
                if (kin is { Count: > 0 })
                {
                    string[] from = kin[rng.Next(kin.Count)].Replace("\r\n", "\n").Split('\n');
                    lines.Insert(at, from[rng.Next(from.Length)]);
                }
                break;
            case 4:
            case 5:
            case 6:
                lines[at] = ReplaceWord(lines[at], Words[rng.Next(Words.Length)], ref rng);
                break;
            case 7:
                lines[at] = ReplaceWord(lines[at], rng.Chance(50) ? new string('x', 1 + rng.Next(200_000)) : Word(lines, ref rng), ref rng);
                break;
            case 8:
                // One word repeated: long lines (schedules of thousands of tokens, programs of many ops).
                string word = Word(lines, ref rng);
                int repeats = Math.Min(1 + rng.Next(20_000), MaxLength / (word.Length + 2));
                lines[at] = lines[at] + " " + string.Join(rng.Chance(50) ? " " : "; ", Enumerable.Repeat(word, repeats));
                break;
            case 9:
                lines[at] = Chars(lines[at], ref rng);
                break;
            case 10:
                return string.Join(rng.Chance(50) ? "\r" : "\r\n", lines);
            case 11:
                return text[..rng.Next(text.Length + 1)];
            case 12:
                lines.Insert(at, Words[rng.Next(Words.Length)] + " " + Words[rng.Next(Words.Length)] + " " + Words[rng.Next(Words.Length)]);
                break;
            case 13:
                lines[at] = rng.Chance(50) ? "  " + lines[at] : lines[at].TrimStart();
                break;
            case 14:
                lines[at] = lines[at] + " " + Words[rng.Next(Words.Length)];
                break;
            default:
                int count = 1 + rng.Next(Math.Max(1, lines.Count / 2));
                lines.RemoveRange(at, Math.Min(count, lines.Count - at));
                break;
        }
        return string.Join('\n', lines);
    }

    private static string Word(List<string> lines, ref Pcg32 rng)
    {
        string[] w = lines[rng.Next(lines.Count)].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return w.Length == 0 ? Words[rng.Next(Words.Length)] : w[rng.Next(w.Length)];
    }

    private static string ReplaceWord(string line, string with, ref Pcg32 rng)
    {
        string[] w = line.Split(' ');
        if (w.Length == 0) return with;
        w[rng.Next(w.Length)] = with;
        return string.Join(' ', w);
    }

    private static string Chars(string line, ref Pcg32 rng)
    {
        var b = new StringBuilder(line);
        int n = 1 + rng.Next(3);
        for (int i = 0; i < n; i++)
        {
            int at = b.Length == 0 ? 0 : rng.Next(b.Length);
            char c = (char)(rng.Chance(80) ? 32 + rng.Next(95) : rng.Next(0x3000));
            switch (rng.Next(3))
            {
                case 0 when b.Length > 0:
                    b[at] = c;
                    break;
                case 1 when b.Length > 0:
                    b.Remove(at, 1);
                    break;
                default:
                    b.Insert(at, c);
                    break;
            }
        }
        return b.ToString();
    }
}
