using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServerlessCapi.Reconcilers.Topology.Patches.GoTemplates;

/// <summary>A Go text/template, as ClusterClass patches use them in <c>enabledIf</c> and <c>valueFrom.template</c>,
/// run over JSON data with the sprig functions CAPI's patch templates call.</summary>
/// <remarks>Written here because no maintained .NET library reads Go template syntax (the registry's template
/// engines are Liquid, Handlebars, Mustache, Razor and T4). Data follows what CAPI hands its templates: JSON
/// unmarshalled into Go's interface values, so objects are maps with sorted keys and every number is a float64
/// (printed as Go prints one: <c>3</c>, <c>1.5</c>, <c>1e+06</c>). One deliberate leniency: <c>eq</c>/<c>lt</c>
/// and friends compare a number literal with a data number by value, where Go reports incompatible kinds.</remarks>
public sealed class GoTemplate
{
    private readonly List<TemplateNode> _nodes;

    private GoTemplate(List<TemplateNode> nodes) => _nodes = nodes;

    /// <exception cref="TemplateException">The source does not parse.</exception>
    public static GoTemplate Parse(string source) => new(GoTemplateParser.Parse(source));

    /// <exception cref="TemplateException">Execution failed (missing field on nil, bad function call, ...).</exception>
    public string Execute(JsonNode? data)
    {
        var sb = new StringBuilder();
        var root = TemplateValues.FromJson(data);
        var scope = new Scope(null);
        scope.Set("$", root);
        Run(_nodes, root, scope, sb);
        return sb.ToString();
    }

    private static void Run(List<TemplateNode> nodes, object? dot, Scope scope, StringBuilder sb)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case TextNode t:
                    sb.Append(t.Text);
                    break;
                case ActionNode a:
                    var value = Eval(a.Pipe, dot, scope);
                    if (a.Pipe.Decl.Count == 0)
                        sb.Append(TemplateValues.Print(value));
                    break;
                case ControlNode c:
                    RunControl(c, dot, scope, sb);
                    break;
            }
        }
    }

    private static void RunControl(ControlNode c, object? dot, Scope scope, StringBuilder sb)
    {
        var inner = new Scope(scope);
        if (c.Keyword == "range")
        {
            var rangeDecl = c.Pipe with { Decl = [] };
            var items = Eval(rangeDecl, dot, inner);
            var any = false;
            foreach (var (key, item) in TemplateValues.Iterate(items))
            {
                any = true;
                var iteration = new Scope(inner);
                if (c.Pipe.Decl.Count == 1)
                    iteration.Set(c.Pipe.Decl[0], item);
                else if (c.Pipe.Decl.Count == 2)
                {
                    iteration.Set(c.Pipe.Decl[0], key);
                    iteration.Set(c.Pipe.Decl[1], item);
                }
                Run(c.Body, item, iteration, sb);
            }
            if (!any && c.Else is not null)
                Run(c.Else, dot, inner, sb);
            return;
        }
        var value = Eval(c.Pipe, dot, inner);
        if (TemplateValues.IsTrue(value))
            Run(c.Body, c.Keyword == "with" ? value : dot, inner, sb);
        else if (c.Else is not null)
            Run(c.Else, dot, new Scope(scope), sb);
    }

    private static object? Eval(Pipeline pipe, object? dot, Scope scope)
    {
        object? value = null;
        var piped = false;
        foreach (var command in pipe.Commands)
        {
            value = EvalCommand(command, dot, scope, piped ? value : null, piped);
            piped = true;
        }
        if (pipe.Decl.Count > 0)
        {
            if (pipe.IsAssign)
                scope.Assign(pipe.Decl[^1], value);
            else
                scope.Set(pipe.Decl[^1], value);
        }
        return value;
    }

    private static object? EvalCommand(Command command, object? dot, Scope scope, object? pipedValue, bool piped)
    {
        var first = command.Operands[0];
        if (first is FunctionOperand f)
        {
            var args = command.Operands.Skip(1).Select(o => TemplateValues.Unwrap(EvalOperand(o, dot, scope))).ToList();
            if (piped)
                args.Add(TemplateValues.Unwrap(pipedValue));
            return TemplateFunctions.Call(f.Name, args);
        }
        if (command.Operands.Count > 1 || piped)
            throw new TemplateException($"can't give argument to non-function {Describe(first)}");
        return EvalOperand(first, dot, scope);
    }

    private static object? EvalOperand(Operand operand, object? dot, Scope scope) => operand switch
    {
        LiteralOperand l => l.Value,
        FieldOperand f => TemplateValues.Field(dot, f.Names, "." + string.Join('.', f.Names)),
        VariableOperand v => TemplateValues.Field(scope.Get(v.Name), v.Names, v.Name + string.Concat(v.Names.Select(n => "." + n))),
        ParenOperand p => Eval(p.Pipe, dot, scope),
        ChainOperand c => TemplateValues.Field(EvalOperand(c.Receiver, dot, scope), c.Names, "." + string.Join('.', c.Names)),
        FunctionOperand fn => TemplateFunctions.Call(fn.Name, []),
        _ => throw new TemplateException("unknown operand"),
    };

    private static string Describe(Operand o) => o switch
    {
        FieldOperand f => "." + string.Join('.', f.Names),
        VariableOperand v => v.Name,
        LiteralOperand l => JsonSerializer.Serialize(l.Value),
        _ => o.GetType().Name,
    };

    private sealed class Scope(Scope? parent)
    {
        private readonly Dictionary<string, object?> _vars = new(StringComparer.Ordinal);

        public void Set(string name, object? value) => _vars[name] = value;

        public void Assign(string name, object? value)
        {
            for (var s = this; s is not null; s = s.Parent)
            {
                if (s._vars.ContainsKey(name))
                {
                    s._vars[name] = value;
                    return;
                }
            }
            throw new TemplateException($"undefined variable: {name}");
        }

        public object? Get(string name)
        {
            for (var s = this; s is not null; s = s.Parent)
            {
                if (s._vars.TryGetValue(name, out var v))
                    return v;
            }
            throw new TemplateException($"undefined variable: {name}");
        }

        private Scope? Parent => parent;
    }
}
