using System.Text;

namespace ServerlessCapi.Api.Templates;

/// <summary>One piece of a parsed template: literal text, or a substitution.</summary>
public abstract record TemplateNode;

/// <summary>Literal text, with <c>$$</c> escapes already resolved.</summary>
public sealed record TemplateText(string Value) : TemplateNode;

/// <summary>A substitution <c>${Param…}</c>: <see cref="Op"/> is the operator (empty for a plain variable,
/// <c>:=</c>, <c>=</c>, <c>:-</c>, <c>^^</c>, <c>//</c>, …) and <see cref="Args"/> its operands.</summary>
public sealed record TemplateSubstitution(string Param, string Op, IReadOnlyList<TemplateNode> Args) : TemplateNode;

/// <summary>A template that does not parse; the message is the one clusterctl's substitution library gives.</summary>
public sealed class TemplateSyntaxException(string message) : FormatException(message);

/// <summary>Parses the shell-like substitution syntax clusterctl templates use (the drone/envsubst dialect):
/// <c>${VAR}</c>, defaults (<c>${VAR:=x}</c>, <c>${VAR=x}</c>, <c>${VAR:-x}</c>), case, length, substring,
/// prefix/suffix removal and replacement; <c>$$</c> writes one <c>$</c>, and a <c>$</c> not followed by <c>{</c> is
/// plain text.</summary>
/// <remarks>The grammar follows that library's scanner closely, quirks included (a name may contain <c>-</c>, so
/// <c>${A-b}</c> is the variable <c>A-b</c>; most operators take one operand; only default operands may mix text and
/// nested substitutions), so a template means here what it means to clusterctl.</remarks>
public sealed class TemplateSyntax
{
    private const string BadSubstitution = "bad substitution";
    private readonly string _s;
    private int _pos;

    private TemplateSyntax(string s) => _s = s;

    /// <summary>The template's top-level nodes, in order.</summary>
    public static IReadOnlyList<TemplateNode> Parse(string template) => new TemplateSyntax(template).ParseTop();

    private bool AtSubstitution => _pos + 1 < _s.Length && _s[_pos] == '$' && _s[_pos + 1] == '{';
    private char Peek(int ahead = 0) => _pos + ahead < _s.Length ? _s[_pos + ahead] : '\0';
    private bool AtEnd => _pos >= _s.Length;

    private List<TemplateNode> ParseTop()
    {
        var nodes = new List<TemplateNode>();
        var text = new StringBuilder();
        while (!AtEnd)
        {
            if (AtSubstitution)
            {
                if (text.Length > 0) nodes.Add(new TemplateText(text.ToString()));
                text.Clear();
                _pos += 2;
                nodes.Add(ParseSubstitution());
                continue;
            }
            if (_s[_pos] == '$' && Peek(1) == '$')
            {
                text.Append('$');
                _pos += 2;
                continue;
            }
            text.Append(_s[_pos++]);
        }
        if (text.Length > 0) nodes.Add(new TemplateText(text.ToString()));
        return nodes;
    }

    /// <summary>After <c>${</c>.</summary>
    private TemplateSubstitution ParseSubstitution()
    {
        if (Peek() == '#')
        {
            _pos++;
            var param = ReadName() ?? throw new TemplateSyntaxException(BadSubstitution);
            ExpectClose();
            return new TemplateSubstitution(param, "#", []);
        }
        var name = ReadName() ?? throw new TemplateSyntaxException("unable to parse variable name");
        switch (Peek())
        {
            case ':' when Peek(1) is '=' or '-' or '?' or '+':
                return ParseDefault(name, _s.Substring(_pos, 2), 2);
            case ':':
                return ParseSubstring(name);
            case '=':
                return ParseDefault(name, "=", 1);
            case ',' or '^':
                var casing = ReadOperator(c => c is ',' or '^', 2);
                ExpectClose();
                return new TemplateSubstitution(name, casing, []);
            case '/':
                return ParseReplace(name);
            case '#' or '%':
                var trim = Peek();
                var op = ReadOperator(c => c == trim, 2);
                var pattern = ParseOperand(c => c != '}', escapes: false);
                ExpectClose();
                return new TemplateSubstitution(name, op, [pattern]);
            case '}':
                _pos++;
                return new TemplateSubstitution(name, "", []);
            default:
                throw new TemplateSyntaxException("missing closing brace");
        }
    }

    private TemplateSubstitution ParseDefault(string name, string op, int length)
    {
        _pos += length;
        var args = new List<TemplateNode>();
        while (Peek() != '}' || AtEnd)
            args.Add(ParseOperand(c => c != '}', escapes: false));
        _pos++;
        return new TemplateSubstitution(name, op, args);
    }

    private TemplateSubstitution ParseSubstring(string name)
    {
        _pos++;
        var offset = ParseOperand(c => c is not (':' or '}'), escapes: false);
        if (Peek() == '}')
        {
            _pos++;
            return new TemplateSubstitution(name, ":", [offset]);
        }
        if (Peek() != ':') throw new TemplateSyntaxException(BadSubstitution);
        while (Peek() == ':') _pos++;
        var length = ParseOperand(c => c != '}', escapes: false);
        ExpectClose();
        return new TemplateSubstitution(name, ":", [offset, length]);
    }

    private TemplateSubstitution ParseReplace(string name)
    {
        _pos++;
        var op = "/" + (Peek() is '/' or '#' or '%' ? _s[_pos++].ToString() : "");
        var pattern = ParseOperand(c => c != '/', escapes: true);
        if (Peek() != '/') throw new TemplateSyntaxException(BadSubstitution);
        while (Peek() == '/') _pos++;
        if (Peek() == '}')
        {
            _pos++;
            return new TemplateSubstitution(name, op, [pattern]);
        }
        var replacement = ParseOperand(c => c != '}', escapes: true);
        ExpectClose();
        return new TemplateSubstitution(name, op, [pattern, replacement]);
    }

    /// <summary>One operand: a nested substitution, or a run of accepted text up to the next <c>${</c>.</summary>
    private TemplateNode ParseOperand(Func<char, bool> accept, bool escapes)
    {
        if (AtSubstitution)
        {
            _pos += 2;
            return ParseSubstitution();
        }
        var text = new StringBuilder();
        while (!AtEnd && !AtSubstitution)
        {
            var c = _s[_pos];
            if (escapes && ((c == '$' && Peek(1) == '$') || (c == '\\' && Peek(1) is '/' or '\\')))
            {
                text.Append(_s[_pos + 1]);
                _pos += 2;
                continue;
            }
            if (!accept(c)) break;
            text.Append(c);
            _pos++;
        }
        if (text.Length == 0) throw new TemplateSyntaxException("unable to parse substitution within function");
        return new TemplateText(text.ToString());
    }

    private string? ReadName()
    {
        var start = _pos;
        while (!AtEnd && (char.IsLetterOrDigit(_s[_pos]) || _s[_pos] is '_' or '-')) _pos++;
        return _pos > start ? _s[start.._pos] : null;
    }

    private string ReadOperator(Func<char, bool> accept, int max)
    {
        var start = _pos;
        while (!AtEnd && _pos - start < max && accept(_s[_pos])) _pos++;
        return _s[start.._pos];
    }

    private void ExpectClose()
    {
        if (Peek() != '}' || AtEnd) throw new TemplateSyntaxException(BadSubstitution);
        _pos++;
    }
}
