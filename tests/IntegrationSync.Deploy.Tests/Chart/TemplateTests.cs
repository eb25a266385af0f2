using System.Text.Json.Nodes;
using System.Xml.Linq;
using IntegrationSync.Shared.Configuration;
using IntegrationSync.Shared.Configuration.Options;
using IntegrationSync.Shared.Messaging;

namespace IntegrationSync.Deploy.Tests.Chart;

public sealed class TemplateTests
{
    private static readonly Dictionary<string, string> CurrentApiVersions = new()
    {
        ["Deployment"] = "apps/v1",
        ["Service"] = "v1",
        ["ConfigMap"] = "v1",
        ["ServiceAccount"] = "v1",
        ["PodDisruptionBudget"] = "policy/v1",
        ["HorizontalPodAutoscaler"] = "autoscaling/v2",
        ["Ingress"] = "networking.k8s.io/v1",
        ["ScaledObject"] = "keda.sh/v1alpha1",
        ["TriggerAuthentication"] = "keda.sh/v1alpha1",
        ["ExternalSecret"] = "external-secrets.io/v1",
        ["PodMonitor"] = "monitoring.coreos.com/v1",
        ["PrometheusRule"] = "monitoring.coreos.com/v1",
    };

    public static TheoryData<string> TemplateFiles() => [.. ChartTemplates.Files()];

    [Theory]
    [MemberData(nameof(TemplateFiles))]
    public void Every_template_is_valid_yaml_once_its_actions_are_blanked(string file)
    {
        var documents = ChartTemplates.Documents(file);

        Assert.NotEmpty(documents);
        Assert.All(documents, d => Assert.False(string.IsNullOrEmpty((string?)d["kind"]), $"{file}: a manifest without kind"));
    }

    [Fact]
    public void Every_kind_uses_its_current_api_version()
    {
        var documents = ChartTemplates.All();

        Assert.All(documents, d => Assert.Equal(CurrentApiVersions[(string)d["kind"]!], (string?)d["apiVersion"]));
        Assert.Equal(CurrentApiVersions.Keys.Order(), documents.Select(d => (string)d["kind"]!).Distinct().Order());
    }

    [Fact]
    public void Every_service_folder_has_its_deployment_values_and_disruption_budget()
    {
        var folders = Repo.ServiceFolders();
        var schemaServices = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Chart, "values.schema.json")))!["properties"]!["services"]!;

        Assert.Equal(4, folders.Count);
        Assert.Equal(folders, ChartValues.Defaults()["services"]!.AsObject().Select(s => s.Key).Order(StringComparer.Ordinal));
        Assert.Equal(folders, schemaServices["required"]!.AsArray().Select(n => (string)n!).Order(StringComparer.Ordinal));
        Assert.Contains("range $name, $svc := .Values.services", ChartTemplates.Text("deployments.yaml"));
        Assert.Contains("range $name, $svc := .Values.services", ChartTemplates.Text("pdbs.yaml"));
        Assert.Equal("PodDisruptionBudget", (string?)Assert.Single(ChartTemplates.Documents("pdbs.yaml"))["kind"]);
    }

    [Fact]
    public void The_chart_runs_the_images_the_build_produces_as_their_user()
    {
        var props = XDocument.Load(Repo.File("deploy", "images", "Containers.props"));
        string Property(string name) => props.Descendants(name).Single().Value;
        var values = ChartValues.Defaults();

        Assert.Equal((string)values["image"]!["repositoryPrefix"]! + "$(_IntegrationSyncService)", Property("ContainerRepository"));
        Assert.Equal(Property("ContainerUser"), values["podSecurityContext"]!["runAsUser"]!.ToString());
        Assert.Equal(props.Descendants("ContainerPort").Single().Attribute("Include")!.Value, values["containerPort"]!.ToString());
        Assert.All(Repo.ServiceFolders(), service => Assert.Contains("deploy/images/Containers.props",
            File.ReadAllText(Directory.GetFiles(Repo.File("services", service), "*.csproj").Single())));
    }

    [Fact]
    public void Pods_run_non_root_with_a_read_only_root_and_no_capabilities()
    {
        var values = ChartValues.Defaults();
        var pod = ChartTemplates.Deployment()["spec"]!["template"]!["spec"]!;
        var volumes = pod["volumes"]!.AsArray();
        var mounts = ChartTemplates.Container()["volumeMounts"]!.AsArray();

        Assert.True((bool)values["podSecurityContext"]!["runAsNonRoot"]!);
        Assert.True((bool)values["containerSecurityContext"]!["readOnlyRootFilesystem"]!);
        Assert.False((bool)values["containerSecurityContext"]!["allowPrivilegeEscalation"]!);
        Assert.Equal(["ALL"], values["containerSecurityContext"]!["capabilities"]!["drop"]!.AsArray().Select(n => (string)n!));
        var tmp = Assert.Single(mounts, m => (string?)m!["mountPath"] == "/tmp")!;
        Assert.NotNull(Assert.Single(volumes, v => (string?)v!["name"] == (string?)tmp["name"])!["emptyDir"]);
        Assert.False((bool)pod["automountServiceAccountToken"]!);
    }

    [Fact]
    public void Pods_are_probed_on_the_health_endpoints_and_outlive_the_drain()
    {
        var container = ChartTemplates.Container();
        var defaults = YamlJson.Parse(Repo.Read("config", "default.yaml"))!;
        var drain = (int)defaults["rabbitmq"]!["shutdown_drain_seconds"]!;

        Assert.Equal("/health/live", (string?)container["startupProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/health/live", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/health/ready", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
        Assert.All(ChartValues.Defaults()["services"]!.AsObject(), service =>
        {
            var preStop = (int?)service.Value!["preStopSleepSeconds"] ?? 0;
            Assert.True((int)service.Value!["terminationGracePeriodSeconds"]! >= drain + preStop + 5,
                $"{service.Key}: terminationGracePeriodSeconds must cover rabbitmq.shutdown_drain_seconds ({drain}) + preStop ({preStop}) + 5");
        });
        Assert.Contains("rabbitmq.shutdown_drain_seconds", ChartTemplates.Text("deployments.yaml"));
    }

    [Fact]
    public void The_config_map_is_the_hosts_config_directory()
    {
        var container = ChartTemplates.Container();
        var directory = (string?)container["env"]!.AsArray().Single(e => (string?)e!["name"] == ConfigurationLayout.ConfigDirectoryVariable)!["value"];
        var mount = container["volumeMounts"]!.AsArray().Single(m => (string?)m!["mountPath"] == directory)!;
        var configMap = Assert.Single(ChartTemplates.Documents("configmap.yaml"));

        Assert.True((bool)mount["readOnly"]!);
        Assert.Equal(["default.yaml", "local.yaml"], configMap["data"]!.AsObject().Select(p => p.Key).Order());
        Assert.Contains(".Files.Get \"files/default.yaml\"", ChartTemplates.Text("configmap.yaml"));
        Assert.Contains("toYaml .Values.config", ChartTemplates.Text("configmap.yaml"));
    }

    [Fact]
    public void Keda_scales_the_runner_and_the_event_consumer_on_their_own_queues()
    {
        var topology = new FleetTopology(new RabbitMqOptions());
        var defaults = YamlJson.Parse(Repo.Read("config", "default.yaml"))!;
        var prefix = (string)defaults["rabbitmq"]!["queue_prefix"]!;
        var keda = ChartTemplates.Text("keda.yaml");
        var kinds = ChartTemplates.Documents("keda.yaml").Select(d => (string)d["kind"]!).ToList();

        Assert.Contains("dict \"sync-runner\" (list \"runner\") \"event-consumer\" (list \"event_consumer\" \"webhooks\")", keda);
        Assert.Equal(topology.Runner.Name, $"{prefix}.runner");
        Assert.Equal(topology.EventConsumer.Name, $"{prefix}.event_consumer");
        Assert.Equal(topology.Webhooks.Name, $"{prefix}.webhooks");
        Assert.Equal(["ScaledObject", "TriggerAuthentication"], kinds.Order());
        Assert.False((bool)ChartValues.Defaults()["services"]!["sync-runner"]!["keda"]!["enabled"]!);
        Assert.False((bool)ChartValues.Defaults()["services"]!["event-consumer"]!["keda"]!["enabled"]!);
    }
}
