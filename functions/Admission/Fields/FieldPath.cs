using System.Globalization;
using System.Text;

namespace ServerlessCapi.Admission;

/// <summary>A path to a field as Kubernetes prints it (<c>spec.template.spec.taints[0].key</c>, <c>metadata.labels[a/b]</c>).</summary>
public sealed class FieldPath
{
    private readonly string _text;

    private FieldPath(string text) => _text = text;

    public static FieldPath Root(string name, params string[] more) => new FieldPath(name).Child(more);

    public FieldPath Child(params string[] names)
    {
        var builder = new StringBuilder(_text);
        foreach (var name in names)
            builder.Append('.').Append(name);
        return new FieldPath(builder.ToString());
    }

    public FieldPath Index(int index) => new($"{_text}[{index.ToString(CultureInfo.InvariantCulture)}]");

    public FieldPath Key(string key) => new($"{_text}[{key}]");

    public override string ToString() => _text;
}
