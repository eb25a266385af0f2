{{/* Names: <release>-integration-sync, or fullnameOverride. */}}
{{- define "integration-sync.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "integration-sync.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels of one component: (dict "root" $ "component" "sync-api"). */}}
{{- define "integration-sync.selectorLabels" -}}
app.kubernetes.io/name: {{ include "integration-sync.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "integration-sync.labels" -}}
{{ include "integration-sync.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: castiel
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "integration-sync.workloadName" -}}
{{ include "integration-sync.fullname" .root }}-{{ .component }}
{{- end -}}

{{- define "integration-sync.image" -}}
{{- $image := .root.Values.image -}}
{{- $repository := printf "%s%s" $image.repositoryPrefix .component -}}
{{- if $image.registry }}{{ $repository = printf "%s/%s" (trimSuffix "/" $image.registry) $repository }}{{ end -}}
{{ $repository }}:{{ default .root.Chart.AppVersion $image.tag }}
{{- end -}}

{{- define "integration-sync.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{ default (include "integration-sync.fullname" .) .Values.serviceAccount.name }}
{{- else -}}
{{ default "default" .Values.serviceAccount.name }}
{{- end -}}
{{- end -}}

{{/* config/default.yaml (files/default.yaml, a copy kept equal by the chart tests) with .Values.config over it. */}}
{{- define "integration-sync.config" -}}
{{- $defaults := .Files.Get "files/default.yaml" | fromYaml -}}
{{- mergeOverwrite $defaults (deepCopy .Values.config) | toYaml -}}
{{- end -}}

{{- define "integration-sync.queue" -}}
{{- $config := include "integration-sync.config" .root | fromYaml -}}
{{ $config.rabbitmq.queue_prefix }}.{{ .role }}
{{- end -}}
