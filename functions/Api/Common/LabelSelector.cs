using System.Text;
using System.Text.Json.Serialization;

namespace ServerlessCapi.Api;

/// <summary>A label selector (metav1.LabelSelector).</summary>
[KubeMapType("atomic")]
public sealed class LabelSelector : ApiObject
{
    [JsonPropertyName("matchLabels")]
    public Dictionary<string, string>? MatchLabels { get; set; }

    [JsonPropertyName("matchExpressions")]
    [KubeListType("atomic")]
    public List<LabelSelectorRequirement>? MatchExpressions { get; set; }

    /// <summary>True when the selector has no terms (it selects everything).</summary>
    [JsonIgnore]
    public bool IsEmpty => (MatchLabels is null || MatchLabels.Count == 0) && (MatchExpressions is null || MatchExpressions.Count == 0);

    /// <summary>Whether <paramref name="labels"/> satisfies every term.</summary>
    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        labels ??= new Dictionary<string, string>();
        if (MatchLabels is not null)
        {
            foreach (var (key, value) in MatchLabels)
            {
                if (!labels.TryGetValue(key, out var actual) || actual != value)
                    return false;
            }
        }
        return MatchExpressions is null || MatchExpressions.All(r => r.Matches(labels));
    }

    /// <summary>The selector in the query-string form the API server takes (<c>labelSelector=</c>).</summary>
    public override string ToString()
    {
        var terms = new List<string>();
        if (MatchLabels is not null)
            terms.AddRange(MatchLabels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        if (MatchExpressions is not null)
            terms.AddRange(MatchExpressions.Select(r => r.ToString()));
        return string.Join(",", terms);
    }
}

/// <summary>One set-based term of a <see cref="LabelSelector"/>.</summary>
public sealed class LabelSelectorRequirement : ApiObject
{
    public const string In = "In";
    public const string NotIn = "NotIn";
    public const string Exists = "Exists";
    public const string DoesNotExist = "DoesNotExist";

    [JsonPropertyName("key"), KubeRequired]
    public string Key { get; set; } = "";

    [JsonPropertyName("operator"), KubeRequired]
    public string Operator { get; set; } = In;

    [JsonPropertyName("values")]
    [KubeListType("atomic")]
    public List<string>? Values { get; set; }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var has = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            In => has && (Values?.Contains(value!) ?? false),
            NotIn => !has || !(Values?.Contains(value!) ?? false),
            Exists => has,
            DoesNotExist => !has,
            _ => false,
        };
    }

    public override string ToString()
    {
        var values = string.Join(",", Values ?? []);
        return Operator switch
        {
            In => $"{Key} in ({values})",
            NotIn => $"{Key} notin ({values})",
            Exists => Key,
            DoesNotExist => new StringBuilder("!").Append(Key).ToString(),
            _ => $"{Key} {Operator} ({values})",
        };
    }
}
