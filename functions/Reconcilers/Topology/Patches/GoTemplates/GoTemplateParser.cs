using System.Globalization;
using System.Text;

namespace ServerlessCapi.Reconcilers.Topology.Patches.GoTemplates;

/// <summary>Reads Go text/template source into a tree: text, actions, if/else if/else, range (with else and
/// <c>$i, $v :=</c>), with, variable declarations, pipelines, parenthesised pipelines, field chains, trim markers
/// (<c>{{-</c>, <c>-}}</c>) and comments. define/template/block are not supported (patch templates are one
/// expression each and CAPI's own classes do not use them).</summary>
internal sealed class GoTemplateParser
{
    private readonly string _src;
    private int _pos;

    private GoTemplateParser(string src) => _src = src;

    public static List<TemplateNode> Parse(string source)
    {
        var parser = new GoTemplateParser(source);
        var (nodes, end) = parser.ParseList();
        if (end is not null)
            throw new TemplateException($"unexpected {{{{{end}}}}}");
        return nodes;
    }

    /// <summary>Nodes up to a closing keyword (<c>end</c> / <c>else ...</c>), which is returned, or to the end.</summary>
    private (List<TemplateNode> Nodes, string? End) ParseList()
    {
        var nodes = new List<TemplateNode>();
        while (_pos < _src.Length)
        {
            var open = _src.IndexOf("{{", _pos, StringComparison.Ordinal);
            var textEnd = open < 0 ? _src.Length : open;
            var text = _src[_pos..textEnd];
            if (open >= 0 && open + 3 < _src.Length && _src[open + 2] == '-' && char.IsWhiteSpace(_src[open + 3]))
                text = text.TrimEnd();
            if (text.Length > 0)
                nodes.Add(new TextNode(text));
            if (open < 0)
            {
                _pos = _src.Length;
                break;
            }
            var (tokens, trimAfter) = ReadAction(open);
            if (trimAfter)
                SkipWhitespace();
            if (tokens.Count == 0)
                continue; // a comment
            if (tokens[0] is { Kind: TokenKind.Ident, Text: "end" })
                return (nodes, "end");
            if (tokens[0] is { Kind: TokenKind.Ident, Text: "else" })
            {
                _pendingElse = tokens.Skip(1).ToList();
                return (nodes, "else");
            }
            nodes.Add(ParseAction(tokens));
        }
        return (nodes, null);
    }

    private List<Token>? _pendingElse;

    private TemplateNode ParseAction(List<Token> tokens)
    {
        if (tokens[0] is { Kind: TokenKind.Ident, Text: "if" or "range" or "with" } keyword)
            return ParseControl(keyword.Text, tokens.Skip(1).ToList());
        if (tokens[0] is { Kind: TokenKind.Ident, Text: "define" or "template" or "block" or "break" or "continue" })
            throw new TemplateException($"\"{tokens[0].Text}\" is not supported in patch templates");
        var reader = new TokenReader(tokens);
        var pipe = ParsePipeline(reader, allowDecl: true);
        if (!reader.AtEnd)
            throw new TemplateException($"unexpected \"{reader.Peek!.Text}\" in command");
        return new ActionNode(pipe);
    }

    private ControlNode ParseControl(string keyword, List<Token> tokens)
    {
        if (tokens.Count == 0)
            throw new TemplateException($"missing value for {keyword}");
        var reader = new TokenReader(tokens);
        var pipe = ParsePipeline(reader, allowDecl: true);
        if (!reader.AtEnd)
            throw new TemplateException($"unexpected \"{reader.Peek!.Text}\" in {keyword}");
        var (body, end) = ParseList();
        List<TemplateNode>? elseBody = null;
        if (end is null)
            throw new TemplateException($"unexpected EOF: {keyword} has no {{{{end}}}}");
        if (end.StartsWith("else", StringComparison.Ordinal))
        {
            var rest = _pendingElse ?? [];
            _pendingElse = null;
            if (rest.Count > 0 && rest[0] is { Kind: TokenKind.Ident, Text: "if" or "with" } chained)
            {
                // "else if" / "else with": the chained control owns the single {{end}} of the whole chain.
                elseBody = [ParseControl(chained.Text, rest.Skip(1).ToList())];
                return new ControlNode(keyword, pipe, body, elseBody);
            }
            if (rest.Count > 0)
                throw new TemplateException($"unexpected \"{rest[0].Text}\" after else");
            (elseBody, end) = ParseList();
            if (end != "end")
                throw new TemplateException($"expected {{{{end}}}} after else of {keyword}");
        }
        return new ControlNode(keyword, pipe, body, elseBody);
    }

    private static Pipeline ParsePipeline(TokenReader reader, bool allowDecl)
    {
        var decl = new List<string>();
        var isAssign = false;
        if (allowDecl && reader.Peek is { Kind: TokenKind.Variable } && reader.LooksLikeDecl())
        {
            decl.Add(reader.Next().Text);
            if (reader.Peek is { Kind: TokenKind.Comma })
            {
                reader.Next();
                decl.Add(reader.Next().Text);
            }
            isAssign = reader.Next().Kind == TokenKind.Assign;
        }
        var commands = new List<Command>();
        while (true)
        {
            var operands = new List<Operand>();
            while (reader.Peek is { } t && t.Kind is not (TokenKind.Pipe or TokenKind.RParen))
                operands.Add(ParseOperand(reader));
            if (operands.Count == 0)
                throw new TemplateException("missing command in pipeline");
            commands.Add(new Command(operands));
            if (reader.Peek is { Kind: TokenKind.Pipe })
            {
                reader.Next();
                continue;
            }
            break;
        }
        return new Pipeline(decl, isAssign, commands);
    }

    private static Operand ParseOperand(TokenReader reader)
    {
        var t = reader.Next();
        Operand operand = t.Kind switch
        {
            TokenKind.Field => new FieldOperand(null, Split(t.Text)),
            TokenKind.Variable => ParseVariable(t.Text),
            TokenKind.String => new LiteralOperand(t.Text),
            TokenKind.Number => new LiteralOperand(ParseNumber(t.Text)),
            TokenKind.Ident when t.Text is "true" or "false" => new LiteralOperand(t.Text == "true"),
            TokenKind.Ident when t.Text == "nil" => new LiteralOperand(null),
            TokenKind.Ident => new FunctionOperand(t.Text),
            TokenKind.LParen => ParseParen(reader),
            _ => throw new TemplateException($"unexpected \"{t.Text}\" in operand"),
        };
        // A field chain written right after an operand, as in (index .x 0).name or $v.name.
        while (reader.Peek is { Kind: TokenKind.Field, Adjacent: true } chain)
        {
            reader.Next();
            operand = new ChainOperand(operand, Split(chain.Text));
        }
        return operand;
    }

    private static ParenOperand ParseParen(TokenReader reader)
    {
        var inner = ParsePipeline(reader, allowDecl: false);
        if (reader.Peek is not { Kind: TokenKind.RParen })
            throw new TemplateException("unclosed left paren");
        reader.Next();
        return new ParenOperand(inner);
    }

    private static VariableOperand ParseVariable(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? new VariableOperand(text, []) : new VariableOperand(text[..dot], Split(text[dot..]));
    }

    private static string[] Split(string fields) => fields == "." ? [] : fields.TrimStart('.').Split('.');

    private static object ParseNumber(string text)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            return l;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && long.TryParse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var h))
            return h;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            return d;
        throw new TemplateException($"bad number syntax: \"{text}\"");
    }

    private void SkipWhitespace()
    {
        while (_pos < _src.Length && char.IsWhiteSpace(_src[_pos]))
            _pos++;
    }

    /// <summary>Tokens of the action opening at <paramref name="open"/>; moves past its closing braces.</summary>
    private (List<Token> Tokens, bool TrimAfter) ReadAction(int open)
    {
        var i = open + 2;
        if (i + 1 < _src.Length && _src[i] == '-' && char.IsWhiteSpace(_src[i + 1]))
            i += 2;
        while (i < _src.Length && char.IsWhiteSpace(_src[i]))
            i++;
        if (_src.AsSpan(i).StartsWith("/*"))
        {
            var close = _src.IndexOf("*/", i + 2, StringComparison.Ordinal);
            if (close < 0)
                throw new TemplateException("unclosed comment");
            var after = close + 2;
            var trim = false;
            while (after < _src.Length && char.IsWhiteSpace(_src[after]))
                after++;
            if (after < _src.Length && _src[after] == '-')
            {
                trim = true;
                after++;
            }
            if (!_src.AsSpan(after).StartsWith("}}"))
                throw new TemplateException("comment ends before closing delimiter");
            _pos = after + 2;
            return ([], trim);
        }
        var tokens = new List<Token>();
        var previousEnd = -1;
        while (true)
        {
            var spaceBefore = i;
            while (i < _src.Length && char.IsWhiteSpace(_src[i]))
                i++;
            if (i >= _src.Length)
                throw new TemplateException("unclosed action");
            if (_src[i] == '-' && i > spaceBefore && _src.AsSpan(i + 1).StartsWith("}}"))
            {
                _pos = i + 3;
                return (tokens, true);
            }
            if (_src.AsSpan(i).StartsWith("}}"))
            {
                _pos = i + 2;
                return (tokens, false);
            }
            var adjacent = i == previousEnd;
            var start = i;
            var c = _src[i];
            TokenKind kind;
            string text;
            switch (c)
            {
                case '"':
                    (text, i) = ReadQuoted(i);
                    kind = TokenKind.String;
                    break;
                case '`':
                    var endRaw = _src.IndexOf('`', i + 1);
                    if (endRaw < 0)
                        throw new TemplateException("unterminated raw quoted string");
                    text = _src[(i + 1)..endRaw];
                    i = endRaw + 1;
                    kind = TokenKind.String;
                    break;
                case '|':
                    (kind, text, i) = (TokenKind.Pipe, "|", i + 1);
                    break;
                case '(':
                    (kind, text, i) = (TokenKind.LParen, "(", i + 1);
                    break;
                case ')':
                    (kind, text, i) = (TokenKind.RParen, ")", i + 1);
                    break;
                case ',':
                    (kind, text, i) = (TokenKind.Comma, ",", i + 1);
                    break;
                case ':' when i + 1 < _src.Length && _src[i + 1] == '=':
                    (kind, text, i) = (TokenKind.Declare, ":=", i + 2);
                    break;
                case '=':
                    (kind, text, i) = (TokenKind.Assign, "=", i + 1);
                    break;
                case '.' when i + 1 >= _src.Length || !char.IsDigit(_src[i + 1]):
                case '$':
                    i++;
                    while (i < _src.Length && (IsWord(_src[i]) || _src[i] == '.'))
                        i++;
                    text = _src[start..i];
                    kind = c == '$' ? TokenKind.Variable : TokenKind.Field;
                    break;
                default:
                    if (char.IsDigit(c) || c is '-' or '+' or '.')
                    {
                        i++;
                        while (i < _src.Length && (char.IsLetterOrDigit(_src[i]) || _src[i] is '.' or '_' || (_src[i] is '+' or '-' && _src[i - 1] is 'e' or 'E')))
                            i++;
                        kind = TokenKind.Number;
                    }
                    else if (IsWord(c))
                    {
                        while (i < _src.Length && IsWord(_src[i]))
                            i++;
                        kind = TokenKind.Ident;
                    }
                    else
                    {
                        throw new TemplateException($"unexpected \"{c}\" in command");
                    }
                    text = _src[start..i];
                    break;
            }
            tokens.Add(new Token(kind, text, adjacent));
            previousEnd = i;
        }
    }

    private (string Text, int End) ReadQuoted(int i)
    {
        var sb = new StringBuilder();
        i++;
        while (i < _src.Length && _src[i] != '"')
        {
            if (_src[i] == '\\' && i + 1 < _src.Length)
            {
                i++;
                sb.Append(_src[i] switch
                {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    '0' => '\0',
                    var other => other,
                });
            }
            else
            {
                sb.Append(_src[i]);
            }
            i++;
        }
        if (i >= _src.Length)
            throw new TemplateException("unterminated quoted string");
        return (sb.ToString(), i + 1);
    }

    private static bool IsWord(char c) => char.IsLetterOrDigit(c) || c == '_';

    private sealed class TokenReader(List<Token> tokens)
    {
        private int _i;

        public Token? Peek => _i < tokens.Count ? tokens[_i] : null;

        public bool AtEnd => _i >= tokens.Count;

        public Token Next() => _i < tokens.Count ? tokens[_i++] : throw new TemplateException("unexpected end of action");

        /// <summary>Whether the tokens ahead read <c>$x :=</c>, <c>$x =</c> or <c>$i, $v :=</c>.</summary>
        public bool LooksLikeDecl()
        {
            var j = _i + 1;
            if (j < tokens.Count && tokens[j].Kind == TokenKind.Comma)
                j += 2;
            return j < tokens.Count && tokens[j].Kind is TokenKind.Declare or TokenKind.Assign;
        }
    }
}
