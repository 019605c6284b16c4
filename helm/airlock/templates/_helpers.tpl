{{- define "airlock.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "airlock.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "airlock.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "airlock.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "airlock.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "airlock.secretName" -}}
{{- printf "%s-secrets" (include "airlock.fullname" .) -}}
{{- end -}}

{{/* The Secret with the engine's TLS files; TLS needs a tcp engine and the Secret. */}}
{{- define "airlock.dockerTlsSecret" -}}
{{- if ne .Values.docker.mode "tcp" -}}
{{- fail "docker.tls.enabled needs docker.mode=tcp (TLS is for an engine reached over the network)" -}}
{{- end -}}
{{- required "docker.tls.enabled needs docker.tls.secretName: a Secret with ca.pem, cert.pem and key.pem" .Values.docker.tls.secretName -}}
{{- end -}}
