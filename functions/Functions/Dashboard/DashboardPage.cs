using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ServerlessCapi.Functions.Dashboard;

/// <summary>The page around the sections: inline CSS and a small inline script that polls the data endpoint and swaps
/// the sections in place. No external assets, so it works offline; the key never appears in it (the script reads it
/// from the page's own <c>?code=</c> and sends it as the <c>x-functions-key</c> header).</summary>
public static class DashboardPage
{
    /// <summary>A fresh nonce for the page's inline style and script (the content security policy allows only them).</summary>
    public static string NewNonce() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    public static string ContentSecurityPolicy(string nonce) =>
        $"default-src 'none'; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; connect-src 'self'; img-src 'self' data:; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static string Render(DashboardSections sections, string dataEndpoint, TimeSpan refresh, string nonce)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"referrer\" content=\"no-referrer\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>ServerlessCapi dashboard</title>")
            // No favicon request: the page loads nothing but itself and its data.
            .Append("<link rel=\"icon\" href=\"data:,\">")
            .Append("<style nonce=\"").Append(nonce).Append("\">").Append(Css).Append("</style></head>")
            .Append("<body data-endpoint=\"").Append(Html.Attr(dataEndpoint)).Append("\" data-cluster=\"").Append(Html.Attr(sections.Selected))
            .Append("\" data-refresh-ms=\"").Append(((long)refresh.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)).Append("\">")
            .Append("<header><h1>ServerlessCapi</h1><span id=\"live\" class=\"muted\">rendered at ").Append(Html.Time(sections.At))
            .Append(" UTC</span></header><main>")
            .Append("<section><h2>Clusters</h2><div id=\"fleet\">").Append(sections.Fleet).Append("</div></section>")
            .Append("<section id=\"cluster\">").Append(sections.Cluster).Append("</section>")
            .Append("<section><h2>Fleet metrics</h2><div id=\"metrics\">").Append(sections.Metrics).Append("</div></section>")
            .Append("</main><script nonce=\"").Append(nonce).Append("\">").Append(Script).Append("</script></body></html>");
        return html.ToString();
    }

    private const string Css = """
        body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
        header{display:flex;gap:1rem;align-items:baseline;padding:.6rem 1.2rem;background:#1d2330;color:#fff}
        header h1{font-size:1.1rem;margin:0}header .muted{color:#b8c0cc}
        main{padding:0 1.2rem 2rem}section{margin-top:1.2rem}h2{font-size:1.05rem;margin:.4rem 0}h3{font-size:.95rem;margin:1rem 0 .3rem}
        .muted{color:#6b7280}.bad{color:#b42318}
        table.grid{border-collapse:collapse;background:#fff;width:100%}
        .grid th,.grid td{border-bottom:1px solid #e5e7eb;padding:.25rem .5rem;text-align:left;vertical-align:top;white-space:nowrap}
        .grid th{font-size:.75rem;text-transform:uppercase;color:#6b7280}
        .grid td.message{white-space:pre-wrap;max-width:40rem;font-size:.85rem}
        .grid tr.selected{background:#eef4ff}.grid tr.group td{color:#6b7280}
        .tree td.name{font-family:ui-monospace,monospace;font-size:.85rem}.glyph{color:#9ca3af;white-space:pre}
        .badge,.phase{display:inline-block;border-radius:.6rem;padding:0 .5rem;font-size:.8rem;border:1px solid}
        .ok{color:#067647;border-color:#abefc6;background:#ecfdf3}.wait{color:#93370d;border-color:#fedf89;background:#fffaeb}
        .badge.bad,.phase.bad{color:#b42318;border-color:#fecdca;background:#fef3f2}
        details.timeline{background:#fff;border:1px solid #e5e7eb;margin:.3rem 0;padding:.3rem .6rem}
        details.timeline summary{cursor:pointer}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;margin:.4rem 0;font-size:.85rem}dl.facts dt{color:#6b7280}
        ol.steps{margin:.3rem 0;padding-left:1.2rem;font-size:.85rem}ol.steps li.error{color:#b42318}
        ol.steps li.condition{color:#475467}ol.steps time{font-family:ui-monospace,monospace;color:#6b7280}
        .charts{display:flex;flex-wrap:wrap;gap:1rem}figure.chart{margin:0;background:#fff;border:1px solid #e5e7eb;padding:.4rem .6rem}
        figure.chart svg{display:block}figcaption{font-size:.85rem}
        polyline{fill:none;stroke-width:1.6}polyline.s-ok{stroke:#12b76a}polyline.s-info{stroke:#2e90fa}polyline.s-bad{stroke:#f04438}
        line.axis{stroke:#d0d5dd}text.tick{font-size:9px;fill:#6b7280}
        ul.legend{list-style:none;margin:.2rem 0 0;padding:0;display:flex;gap:.8rem;font-size:.75rem}
        ul.legend li.s-ok::before,ul.legend li.s-info::before,ul.legend li.s-bad::before{content:"";display:inline-block;width:.7rem;height:.2rem;margin-right:.25rem;vertical-align:middle}
        ul.legend li.s-ok::before{background:#12b76a}ul.legend li.s-info::before{background:#2e90fa}ul.legend li.s-bad::before{background:#f04438}
        """;

    // Polls the data endpoint and replaces each section whose HTML changed, keeping open timelines open. The key
    // travels in a header, read from this page's own address.
    private const string Script = """
        (() => {
          const body = document.body;
          const key = new URLSearchParams(location.search).get('code') || '';
          const refresh = Number(body.dataset.refreshMs) || 2000;
          let selected = body.dataset.cluster || '';
          const last = new Map();
          const live = document.getElementById('live');
          function swap(id, html) {
            const el = document.getElementById(id);
            if (!el || last.get(id) === html) return;
            const open = [...el.querySelectorAll('details[open]')].map(d => d.id);
            el.innerHTML = html;
            for (const o of open) { const d = document.getElementById(o); if (d) d.open = true; }
            last.set(id, html);
          }
          async function load() {
            const url = new URL(body.dataset.endpoint, location.href);
            if (selected) url.searchParams.set('cluster', selected);
            const response = await fetch(url, { headers: { 'x-functions-key': key }, cache: 'no-store' });
            if (!response.ok) { live.textContent = 'not updating: HTTP ' + response.status; return; }
            const data = await response.json();
            selected = data.selected || '';
            swap('fleet', data.fleet); swap('cluster', data.cluster); swap('metrics', data.metrics);
            live.textContent = 'live, updated ' + new Date(data.updated).toISOString().substring(11, 19) + ' UTC';
            live.dataset.updates = String(Number(live.dataset.updates || 0) + 1);
          }
          async function loop() {
            try { await load(); } catch (e) { live.textContent = 'not updating: ' + e.message; }
            setTimeout(loop, refresh);
          }
          document.addEventListener('click', e => {
            const a = e.target.closest('a[data-cluster]');
            if (!a) return;
            e.preventDefault();
            selected = a.dataset.cluster;
            const url = new URL(location.href);
            url.searchParams.set('cluster', selected);
            history.replaceState(null, '', url);
            load().catch(() => {});
          });
          setTimeout(loop, refresh);
        })();
        """;
}

/// <summary>The three sections of the page, rendered at one instant, and the cluster they show.</summary>
public sealed record DashboardSections(DateTimeOffset At, string? Selected, string Fleet, string Cluster, string Metrics);
