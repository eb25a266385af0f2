namespace IntegrationSync.Deploy.Tests.Chart;

public sealed class TemplateBlankerTests
{
    [Fact]
    public void Actions_with_trim_markers_leave_the_yaml_around_them_and_its_lines()
    {
        const string template = "a: {{ .Values.a | quote }}\nlabels:\n  {{- include \"x\" . | nindent 2 }}\nb: {{- .b -}}\n";

        Assert.Equal("a: \nlabels:\n\nb: \n", TemplateBlanker.Blank(template));
    }

    [Fact]
    public void Only_the_first_branch_of_a_block_is_kept()
    {
        const string template = "{{- if .x }}\nreplicas: 1\n{{- else if .y }}\nreplicas: 2\n{{- else }}\nreplicas: 3\n{{- end }}\nz: 1\n";

        var blanked = TemplateBlanker.Blank(template);

        Assert.Contains("replicas: 1", blanked);
        Assert.DoesNotContain("replicas: 2", blanked);
        Assert.DoesNotContain("replicas: 3", blanked);
        Assert.Contains("z: 1", blanked);
        Assert.Equal(template.Count(c => c == '\n'), blanked.Count(c => c == '\n'));
    }

    [Fact]
    public void Comments_strings_with_braces_and_defines_are_removed()
    {
        const string template = "{{/* a comment\nover two lines */}}\n{{ define \"n\" }}x: {{ . }}{{ end }}\nk: {{ printf \"%s}\" .v }}\n";

        Assert.Equal("\n\n\nk: \n", TemplateBlanker.Blank(template));
    }

    [Theory]
    [InlineData("{{ if .x }}\na: 1\n")]
    [InlineData("a: 1\n{{ end }}\n")]
    public void Unbalanced_blocks_are_reported(string template)
    {
        Assert.Throws<FormatException>(() => TemplateBlanker.Blank(template));
    }
}
