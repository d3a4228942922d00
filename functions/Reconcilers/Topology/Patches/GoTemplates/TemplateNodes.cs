namespace ServerlessCapi.Reconcilers.Topology.Patches.GoTemplates;

/// <summary>A template that failed to parse or to run; the message reads like Go's.</summary>
public sealed class TemplateException(string message) : Exception(message);

internal enum TokenKind
{
    Field,
    Variable,
    Ident,
    String,
    Number,
    Pipe,
    LParen,
    RParen,
    Comma,
    Declare,
    Assign,
}

/// <param name="Adjacent">No space before it (a field chain on the operand before, as in <c>(...).name</c>).</param>
internal sealed record Token(TokenKind Kind, string Text, bool Adjacent);

internal abstract record TemplateNode;

internal sealed record TextNode(string Text) : TemplateNode;

internal sealed record ActionNode(Pipeline Pipe) : TemplateNode;

/// <summary>if, range or with; <see cref="Else"/> holds an else body or a chained else-if.</summary>
internal sealed record ControlNode(string Keyword, Pipeline Pipe, List<TemplateNode> Body, List<TemplateNode>? Else) : TemplateNode;

internal sealed record Pipeline(List<string> Decl, bool IsAssign, List<Command> Commands);

internal sealed record Command(List<Operand> Operands);

internal abstract record Operand;

/// <summary><c>.a.b</c> (no names: dot itself).</summary>
internal sealed record FieldOperand(Operand? Receiver, string[] Names) : Operand;

internal sealed record VariableOperand(string Name, string[] Names) : Operand;

internal sealed record LiteralOperand(object? Value) : Operand;

internal sealed record FunctionOperand(string Name) : Operand;

internal sealed record ParenOperand(Pipeline Pipe) : Operand;

internal sealed record ChainOperand(Operand Receiver, string[] Names) : Operand;

/// <summary>What a missing map key evaluates to: printed as Go prints it, <c>&lt;no value&gt;</c>.</summary>
internal sealed class NoValue
{
    public static readonly NoValue Instance = new();

    public override string ToString() => "<no value>";
}
