using System.Globalization;
using System.Net;

namespace Fuzz.Reporting.Html;

/// <summary>Small HTML helpers: escaping and number formatting that does not depend on the machine's culture.</summary>
public static class Html
{
    public static string E(string text) => WebUtility.HtmlEncode(text);

    public static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string F(double d, int digits = 1) => d.ToString("F" + digits, CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours} h {t.Minutes:D2} min"
        : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes} min {t.Seconds:D2} s"
        : $"{F(t.TotalSeconds)} s";

    public static string Bytes(long b) => b >= 1L << 30 ? $"{F(b / (double)(1L << 30), 2)} GiB" : $"{F(b / (double)(1L << 20))} MiB";

    public const string Style = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d2330; background: #f5f6f8; }
        header { background: #1f2a3c; color: #fff; padding: 18px 32px; }
        header h1 { margin: 0 0 4px 0; font-size: 22px; font-weight: 600; }
        header .sub { color: #b9c3d6; font-size: 13px; }
        main { padding: 8px 32px 40px 32px; max-width: 1500px; }
        h2 { font-size: 18px; margin: 28px 0 10px 0; border-bottom: 1px solid #d5d9e0; padding-bottom: 4px; }
        .cards { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 18px; }
        .card { background: #fff; border: 1px solid #dde1e7; border-radius: 6px; padding: 10px 16px; min-width: 150px; }
        .card .v { font-size: 22px; font-weight: 600; }
        .card .k { font-size: 12px; color: #5b6578; text-transform: uppercase; letter-spacing: .04em; }
        .card.bad .v { color: #b3261e; }
        .card.good .v { color: #1e7b34; }
        .failure { background: #fff; border: 1px solid #dde1e7; border-left: 4px solid #b3261e; border-radius: 6px; padding: 12px 16px; margin: 14px 0; }
        .failure h3 { margin: 0 0 6px 0; font-size: 16px; }
        .oracle { display: inline-block; background: #b3261e; color: #fff; border-radius: 3px; padding: 1px 7px; font-size: 12px; margin-right: 6px; }
        .meta { color: #5b6578; font-size: 13px; margin: 4px 0; }
        .violation { font-size: 14px; margin: 6px 0; }
        code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; }
        code.cmd { background: #eef1f5; padding: 2px 6px; border-radius: 3px; font-size: 12px; }
        pre.table { font-size: 11.5px; line-height: 1.35; overflow-x: auto; background: #fbfbfc; border: 1px solid #e4e7ec; padding: 8px; }
        details summary { cursor: pointer; color: #34405a; font-size: 13px; margin-top: 6px; }
        table.grid { border-collapse: collapse; font-size: 12px; background: #fff; }
        table.grid th, table.grid td { border: 1px solid #dde1e7; padding: 3px 7px; text-align: right; }
        table.grid th { background: #eef1f5; font-weight: 600; }
        table.grid th.row { text-align: left; }
        .muted { color: #7a8496; }
        svg text { font-family: system-ui, sans-serif; }
        .legend span { display: inline-block; margin-right: 14px; font-size: 12px; }
        .legend i { display: inline-block; width: 11px; height: 11px; margin-right: 4px; vertical-align: -1px; border-radius: 2px; }
        """;
}
