{{/* vim: set filetype=mustache: */}}

{{/* Chart name, overridable. */}}
{{- define "rendezvous.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Release-scoped base name of every resource: <release>-rendezvous (or the release name alone when it already
contains the chart name), max 63 characters minus room for the longest component suffix.
*/}}
{{- define "rendezvous.fullname" -}}
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

{{/* Name of one app's resources: <fullname>-<component>, e.g. rel-rendezvous-edge-gateway. */}}
{{- define "rendezvous.componentName" -}}
{{- printf "%s-%s" (include "rendezvous.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "rendezvous.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every resource. Call with (dict "root" $ "component" "edge-gateway"). */}}
{{- define "rendezvous.labels" -}}
helm.sh/chart: {{ include "rendezvous.chart" .root }}
{{ include "rendezvous.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: rendezvous
{{- end -}}

{{/* Selector labels (immutable once deployed). Call with (dict "root" $ "component" "edge-gateway"). */}}
{{- define "rendezvous.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rendezvous.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* repository:tag of one app's image; the tag defaults to the chart's appVersion. Call with (dict "root" $ "image" .Values.x.image). */}}
{{- define "rendezvous.image" -}}
{{- $tag := .image.tag | default .root.Chart.AppVersion -}}
{{- printf "%s:%s" (required "every app needs image.repository" .image.repository) (toString $tag) -}}
{{- end -}}

{{/* The values every deployment must have; rendering stops with a clear message when one is missing. */}}
{{- define "rendezvous.kafkaBootstrapServers" -}}
{{- required "kafka.bootstrapServers is required: host:port[,host:port...] of your Kafka cluster, e.g. --set kafka.bootstrapServers=kafka-0.kafka:9092" .Values.kafka.bootstrapServers -}}
{{- end -}}

{{- define "rendezvous.postgresqlUrl" -}}
{{- required "postgresql.r2dbcUrl is required: the R2DBC URL of your PostgreSQL database, e.g. r2dbc:postgresql://postgres:5432/rendezvous" .Values.postgresql.r2dbcUrl -}}
{{- end -}}

{{- define "rendezvous.s3Endpoint" -}}
{{- required "s3.endpoint is required: the S3 API endpoint for recordings, e.g. https://s3.eu-west-1.amazonaws.com or http://minio:9000" .Values.s3.endpoint -}}
{{- end -}}

{{- define "rendezvous.publicUrl" -}}
{{- required "publicUrl is required: the URL browsers use to reach the gateway, e.g. https://meet.example.com" .Values.publicUrl -}}
{{- end -}}

{{/*
Environment every app gets: HTTP and management ports, Kafka, probes. Call with
(dict "root" $ "port" 8080 "managementPort" 9080).
*/}}
{{- define "rendezvous.commonEnv" -}}
- name: SERVER_PORT
  value: {{ .port | quote }}
# the actuator (probes, /actuator/prometheus) on its own port; the HTTP port serves none of it
- name: MANAGEMENT_SERVER_PORT
  value: {{ required "managementPort is required for every app" .managementPort | quote }}
{{ include "rendezvous.kafkaClientEnv" .root }}
- name: RENDEZVOUS_KAFKA_BOOTSTRAP_SERVERS
  value: {{ include "rendezvous.kafkaBootstrapServers" .root | quote }}
- name: RENDEZVOUS_KAFKA_REPLICATION_FACTOR
  value: {{ .root.Values.kafka.replicationFactor | quote }}
{{- if .root.Values.topicProvisioning.enabled }}
# the pre-install/pre-upgrade job provisions the topics (production partitions); the apps need no admin rights
- name: RENDEZVOUS_KAFKA_PROVISION_TOPICS
  value: "false"
{{- end }}
- name: MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED
  value: "true"
{{- with .root.Values.common.javaToolOptions }}
- name: JAVA_TOOL_OPTIONS
  value: {{ . | quote }}
{{- end }}
{{- end -}}

{{/*
Kafka client security (kafka.securityProtocol, kafka.sasl.*, kafka.tls.*, kafka.properties) as
rendezvous.kafka.properties.* (RENDEZVOUS_KAFKA_PROPERTIES_<NAME with . as _>), for every app and the topic job.
The JAAS line and the truststore password come from Secrets. Call with $.
*/}}
{{- define "rendezvous.kafkaClientEnv" -}}
{{- $k := .Values.kafka -}}
- name: RENDEZVOUS_KAFKA_PROPERTIES_SECURITY_PROTOCOL
  value: {{ $k.securityProtocol | quote }}
{{- with $k.sasl.mechanism }}
- name: RENDEZVOUS_KAFKA_PROPERTIES_SASL_MECHANISM
  value: {{ . | quote }}
{{- end }}
{{- if $k.sasl.jaasConfigSecret }}
- name: RENDEZVOUS_KAFKA_PROPERTIES_SASL_JAAS_CONFIG
  valueFrom:
    secretKeyRef:
      name: {{ $k.sasl.jaasConfigSecret }}
      key: {{ $k.sasl.jaasConfigKey }}
{{- end }}
{{- if $k.tls.truststoreSecret }}
- name: RENDEZVOUS_KAFKA_PROPERTIES_SSL_TRUSTSTORE_LOCATION
  value: {{ printf "/etc/rendezvous/kafka-tls/%s" $k.tls.truststoreKey | quote }}
- name: RENDEZVOUS_KAFKA_PROPERTIES_SSL_TRUSTSTORE_TYPE
  value: {{ $k.tls.truststoreType | quote }}
{{- if $k.tls.truststorePasswordKey }}
- name: RENDEZVOUS_KAFKA_PROPERTIES_SSL_TRUSTSTORE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $k.tls.truststoreSecret }}
      key: {{ $k.tls.truststorePasswordKey }}
{{- end }}
{{- end }}
{{- range $name, $value := $k.properties }}
- name: {{ printf "RENDEZVOUS_KAFKA_PROPERTIES_%s" ($name | upper | replace "." "_" | replace "-" "_") }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}

{{/* The Kafka truststore's volume mount (nothing without kafka.tls.truststoreSecret). Call with $. */}}
{{- define "rendezvous.kafkaVolumeMounts" -}}
{{- if .Values.kafka.tls.truststoreSecret }}
- name: kafka-tls
  mountPath: /etc/rendezvous/kafka-tls
  readOnly: true
{{- end }}
{{- end -}}

{{/* The Kafka truststore's volume (nothing without kafka.tls.truststoreSecret). Call with $. */}}
{{- define "rendezvous.kafkaVolumes" -}}
{{- if .Values.kafka.tls.truststoreSecret }}
- name: kafka-tls
  secret:
    secretName: {{ .Values.kafka.tls.truststoreSecret }}
{{- end }}
{{- end -}}

{{/* S3 settings (endpoint, region, bucket, credentials from the secret). */}}
{{- define "rendezvous.s3Env" -}}
- name: RENDEZVOUS_S3_ENDPOINT
  value: {{ include "rendezvous.s3Endpoint" . | quote }}
- name: RENDEZVOUS_S3_REGION
  value: {{ required "s3.region is required (the bucket's region)" .Values.s3.region | quote }}
- name: RENDEZVOUS_S3_BUCKET
  value: {{ .Values.s3.bucket | quote }}
- name: RENDEZVOUS_S3_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ required "s3.existingSecret is required (a Secret with the S3 access key and secret key)" .Values.s3.existingSecret }}
      key: {{ .Values.s3.accessKeyKey }}
- name: RENDEZVOUS_S3_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.s3.existingSecret }}
      key: {{ .Values.s3.secretKeyKey }}
{{- end -}}

{{/* ClickHouse settings (nothing without clickhouse.url; the password from the secret when one is named). */}}
{{- define "rendezvous.clickhouseEnv" -}}
{{- if .Values.clickhouse.url }}
- name: RENDEZVOUS_CLICKHOUSE_URL
  value: {{ .Values.clickhouse.url | quote }}
- name: RENDEZVOUS_CLICKHOUSE_USERNAME
  value: {{ .Values.clickhouse.username | default "default" | quote }}
{{- if .Values.clickhouse.existingSecret }}
- name: RENDEZVOUS_CLICKHOUSE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.clickhouse.existingSecret }}
      key: {{ .Values.clickhouse.passwordKey }}
{{- end }}
{{- end }}
{{- end -}}

{{/* PostgreSQL settings (R2DBC URL, credentials from the secret). */}}
{{- define "rendezvous.postgresqlEnv" -}}
- name: SPRING_R2DBC_URL
  value: {{ include "rendezvous.postgresqlUrl" . | quote }}
- name: SPRING_R2DBC_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ required "postgresql.existingSecret is required (a Secret with the database user and password)" .Values.postgresql.existingSecret }}
      key: {{ .Values.postgresql.usernameKey }}
- name: SPRING_R2DBC_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.postgresql.existingSecret }}
      key: {{ .Values.postgresql.passwordKey }}
{{- end -}}

{{/* Extra environment of one app, from a map NAME: value. Call with the map. */}}
{{- define "rendezvous.extraEnv" -}}
{{- range $name, $value := . }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}

{{/*
Startup, liveness and readiness probes on Spring Boot's health groups. Startup allows a slow JVM start
(common.probes.startupSeconds); liveness restarts only a broken process, readiness takes the pod out of its
Service while a dependency it needs (e.g. Kafka) is missing. All on the management port (the actuator's own
port). Call with (dict "root" $ "port" 8080).
*/}}
{{- define "rendezvous.probes" -}}
{{- $p := .root.Values.common.probes -}}
startupProbe:
  httpGet:
    path: /actuator/health/liveness
    port: management
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: {{ div $p.startupSeconds 5 | max 1 }}
livenessProbe:
  httpGet:
    path: /actuator/health/liveness
    port: management
  periodSeconds: {{ $p.periodSeconds }}
  timeoutSeconds: {{ $p.timeoutSeconds }}
  failureThreshold: {{ $p.livenessFailureThreshold }}
readinessProbe:
  httpGet:
    path: /actuator/health/readiness
    port: management
  periodSeconds: {{ $p.periodSeconds }}
  timeoutSeconds: {{ $p.timeoutSeconds }}
  failureThreshold: {{ $p.readinessFailureThreshold }}
{{- end -}}

{{/* Pod annotations: Prometheus scraping of /actuator/prometheus (management port) plus the app's own. Call with (dict "root" $ "app" .Values.x). */}}
{{- define "rendezvous.podAnnotations" -}}
{{- if .root.Values.common.prometheusAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .app.managementPort | quote }}
prometheus.io/path: /actuator/prometheus
{{- end }}
{{- with .app.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Pod-level fields shared by every app. Call with (dict "root" $ "app" .Values.x). */}}
{{- define "rendezvous.podCommon" -}}
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .root.Values.common.podSecurityContext | nindent 2 }}
{{- with .app.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .app.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .app.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- /*
The TCP ports an app's pods may reach (networkPolicy.egress), as a JSON list: the Kafka brokers' (the bootstrap
servers' and networkPolicy.egress.kafkaPorts), PostgreSQL's for edge-gateway and stream-apps (each host of the R2DBC
URL; 5432 where a host names none), ClickHouse's for both when it is configured, Aerospike's for edge-gateway (3000
where a host names none), the S3 endpoint's for edge-gateway and the recorder (80/443 by its scheme where it names
none), and networkPolicy.egress.extraPorts. Values the apps would refuse anyway fail the render with a message.
*/ -}}
{{- define "rendezvous.egressPorts" -}}
{{- $v := .root.Values -}}
{{- $c := .component -}}
{{- $ports := list -}}
{{- range splitList "," $v.kafka.bootstrapServers -}}
{{- $hp := trim . -}}
{{- if regexMatch ":[0-9]+$" $hp -}}
{{- $ports = append $ports (int (regexFind "[0-9]+$" $hp)) -}}
{{- end -}}
{{- end -}}
{{- if not $ports -}}
{{- fail "kafka.bootstrapServers must name host:port (networkPolicy.egress allows the brokers' ports)" -}}
{{- end -}}
{{- range $v.networkPolicy.egress.kafkaPorts -}}
{{- $ports = append $ports (int .) -}}
{{- end -}}
{{- if has $c (list "edge-gateway" "stream-apps") -}}
{{- $authority := regexReplaceAll "^.*@" (trimPrefix "//" (regexFind "//[^/?]+" $v.postgresql.r2dbcUrl)) "" -}}
{{- range splitList "," $authority -}}
{{- $hp := trim . -}}
{{- $ports = append $ports (ternary (int (regexFind "[0-9]+$" $hp)) 5432 (regexMatch ":[0-9]+$" $hp)) -}}
{{- end -}}
{{- with $v.clickhouse.url -}}
{{- if not (regexMatch "^https?://[^/]*:[0-9]+" .) -}}
{{- fail "clickhouse.url must be http(s)://host:port (its client refuses a URL without a port)" -}}
{{- end -}}
{{- $ports = append $ports (int (regexFind "[0-9]+$" (urlParse .).host)) -}}
{{- end -}}
{{- end -}}
{{- if and (eq $c "edge-gateway") $v.aerospike.hosts -}}
{{- range splitList "," $v.aerospike.hosts -}}
{{- $hp := trim . -}}
{{- $ports = append $ports (ternary (int (regexFind "[0-9]+$" $hp)) 3000 (regexMatch ":[0-9]+$" $hp)) -}}
{{- end -}}
{{- end -}}
{{- if has $c (list "edge-gateway" "recorder") -}}
{{- if not (regexMatch "^https?://" $v.s3.endpoint) -}}
{{- fail "s3.endpoint must be an http(s):// URL" -}}
{{- end -}}
{{- $u := urlParse $v.s3.endpoint -}}
{{- $ports = append $ports (ternary (int (regexFind "[0-9]+$" $u.host)) (ternary 443 80 (eq $u.scheme "https")) (regexMatch ":[0-9]+$" $u.host)) -}}
{{- end -}}
{{- range $v.networkPolicy.egress.extraPorts -}}
{{- $ports = append $ports (int .) -}}
{{- end -}}
{{- toJson (uniq $ports) -}}
{{- end -}}
