using System.Text;
using System.Text.RegularExpressions;

namespace IntegrationSync.Deploy.Tests.Chart;

/// <summary>
/// A Helm template with its <c>{{ ... }}</c> actions removed, so that the YAML around them can be parsed. Trim markers
/// (<c>{{-</c>, <c>-}}</c>) are ignored and line breaks inside actions are kept, so lines stay where they were. Of a block
/// with <c>else</c> branches only the first branch is kept (both would give duplicate keys); <c>define</c> blocks are dropped.
/// A line left with only spaces is emptied (an action indented under a block scalar would otherwise break it).
/// </summary>
public static partial class TemplateBlanker
{
    [GeneratedRegex(@"\{\{-?\s*(?<body>/\*.*?\*/|(?:[^}""`]|""(?:[^""\\]|\\.)*""|`[^`]*`|\}(?!\}))*?)\s*-?\}\}", RegexOptions.Singleline)]
    private static partial Regex Action();

    [GeneratedRegex(@"^(?<word>if|range|with|define|block|else|end)\b")]
    private static partial Regex Keyword();

    public static string Blank(string template)
    {
        var output = new StringBuilder(template.Length);
        // Per open block: whether its text is dropped (a define, or an else branch).
        var blocks = new Stack<bool>();
        var position = 0;
        foreach (Match action in Action().Matches(template))
        {
            var dropped = blocks.Contains(true);
            Emit(template[position..action.Index], dropped);
            Emit(new string('\n', action.Value.Count(c => c == '\n')), dropped: false);
            position = action.Index + action.Length;

            switch (Keyword().Match(action.Groups["body"].Value).Groups["word"].Value)
            {
                case "if" or "range" or "with" or "block":
                    blocks.Push(false);
                    break;
                case "define":
                    blocks.Push(true);
                    break;
                case "else":
                    Require(blocks, action).Push(true);
                    break;
                case "end":
                    Require(blocks, action);
                    break;
            }
        }
        if (blocks.Count > 0)
        {
            throw new FormatException($"{blocks.Count} block(s) not closed with {{{{ end }}}}");
        }
        Emit(template[position..], dropped: false);
        return string.Join('\n', output.ToString().Split('\n').Select(line => string.IsNullOrWhiteSpace(line) ? "" : line));

        void Emit(string text, bool dropped) => output.Append(dropped ? new string('\n', text.Count(c => c == '\n')) : text);
    }

    private static Stack<bool> Require(Stack<bool> blocks, Match action)
    {
        if (!blocks.TryPop(out _))
        {
            throw new FormatException($"'{action.Value}' closes no block");
        }
        return blocks;
    }
}
