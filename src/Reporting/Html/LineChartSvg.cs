using System.Text;

namespace Fuzz.Reporting.Html;

/// <summary>
/// A small line chart of throughput or memory over time. X values are seconds since the campaign
/// started; the axis is labelled in seconds, minutes or hours, whichever keeps its ticks distinct.
/// </summary>
public static class LineChartSvg
{
    public static string Render(string title, string unit, IReadOnlyList<(double X, double Y)> points, string color)
    {
        const int w = 560, h = 200, left = 64, right = 16, top = 26, bottom = 34;
        var b = new StringBuilder();
        b.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">");
        b.Append($"<rect width=\"{w}\" height=\"{h}\" fill=\"#fff\" stroke=\"#dde1e7\"/>");
        b.Append($"<text x=\"{left}\" y=\"17\" font-size=\"13\" font-weight=\"600\" fill=\"#1d2330\">{Html.E(title)}</text>");
        if (points.Count == 0)
        {
            b.Append($"<text x=\"{w / 2}\" y=\"{h / 2}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#7a8496\">no samples yet</text></svg>");
            return b.ToString();
        }
        double maxX = Math.Max(points.Max(p => p.X), 1e-9);
        (double scale, string axis) = maxX < 180 ? (1.0, "seconds") : maxX < 3 * 3600 ? (60.0, "minutes") : (3600.0, "hours");
        double maxY = Math.Max(points.Max(p => p.Y), 1e-9) * 1.1;
        double X(double x) => left + (w - left - right) * x / maxX;
        double Y(double y) => top + (h - top - bottom) * (1 - y / maxY);
        for (int i = 0; i <= 4; i++)
        {
            double v = maxY * i / 4;
            double y = Y(v);
            b.Append($"<line x1=\"{left}\" y1=\"{Html.F(y)}\" x2=\"{w - right}\" y2=\"{Html.F(y)}\" stroke=\"#eef0f3\"/>");
            b.Append($"<text x=\"{left - 6}\" y=\"{Html.F(y + 4)}\" text-anchor=\"end\" font-size=\"10\" fill=\"#7a8496\">{Html.E(Short(v))}</text>");
        }
        for (int i = 0; i <= 4; i++)
        {
            double v = maxX * i / 4, label = v / scale;
            b.Append($"<text x=\"{Html.F(X(v))}\" y=\"{h - bottom + 15}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#7a8496\">{Html.F(label, Math.Abs(label - Math.Round(label)) < 0.05 ? 0 : 1)}</text>");
        }
        b.Append($"<text x=\"{(left + w - right) / 2}\" y=\"{h - 4}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#5b6578\">{axis}</text>");
        b.Append($"<text x=\"12\" y=\"{(top + h - bottom) / 2}\" font-size=\"10\" fill=\"#5b6578\" transform=\"rotate(-90 12 {(top + h - bottom) / 2})\" text-anchor=\"middle\">{Html.E(unit)}</text>");
        b.Append($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"");
        foreach (var (x, y) in points) b.Append($"{Html.F(X(x))},{Html.F(Y(y))} ");
        b.Append("\"/>");
        // A short campaign has few samples (one every 10 s): mark each, so one sample still shows.
        if (points.Count <= 40)
            foreach (var (x, y) in points) b.Append($"<circle cx=\"{Html.F(X(x))}\" cy=\"{Html.F(Y(y))}\" r=\"3\" fill=\"{color}\"/>");
        b.Append("</svg>");
        return b.ToString();
    }

    private static string Short(double v) =>
        v >= 1e9 ? Html.F(v / 1e9) + "G" : v >= 1e6 ? Html.F(v / 1e6) + "M" : v >= 1e3 ? Html.F(v / 1e3) + "k" : Html.F(v, 0);
}
