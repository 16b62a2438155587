#!/usr/bin/env python3
# Writes rendezvous/values.schema.json from rendezvous/values.yaml: types from the defaults, ports and counts bounded,
# closed sets as enums, unknown keys refused except in free-form maps (env, annotations, resources, ...).
# Run: python3 helm/values-schema.py (needs PyYAML: Debian's python3-yaml).
import yaml, json, sys, os
CHART = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'rendezvous')
values = yaml.safe_load(open(os.path.join(CHART, 'values.yaml')))
FREE = {'env','podAnnotations','nodeSelector','properties','annotations','resources','affinity','podSecurityContext',
        'containerSecurityContext','requests','limits'}
PORTS = {'port','managementPort','udpPort'}
PORT_LISTS = {'kafkaPorts','extraPorts','dnsPorts'}
ENUMS = {
  ('kafka','securityProtocol'): ['PLAINTEXT','SSL','SASL_PLAINTEXT','SASL_SSL'],
  ('kafka','tls','truststoreType'): ['PKCS12','JKS'],
  ('topicProvisioning','partitions'): ['production','embedded'],
}
DESC = {
  ('publicUrl',): 'REQUIRED: the URL browsers use to reach the gateway, e.g. https://meet.example.com',
  ('kafka','bootstrapServers'): 'REQUIRED: host:port[,host:port...] of the Kafka brokers',
  ('postgresql','r2dbcUrl'): 'REQUIRED: R2DBC URL of the database',
  ('s3','endpoint'): 'REQUIRED: S3 API endpoint for recordings',
}
def schema(v, path):
    key = path[-1] if path else None
    if path and tuple(path[-3:]) in ENUMS or tuple(path) in ENUMS:
        return {'type':'string','enum':ENUMS.get(tuple(path), ENUMS.get(tuple(path[-3:])))}
    if key == 'pullPolicy':
        return {'type':'string','enum':['Always','IfNotPresent','Never']}
    if key == 'tcpPort':
        return {'description':'empty = the udpPort number; -1 = no ICE-TCP',
                'anyOf':[{'type':'string','maxLength':0},{'type':'integer','minimum':-1,'maximum':65535}]}
    if key == 'tag':
        return {'type':['string','number']}
    if isinstance(v, bool):
        return {'type':'boolean'}
    if isinstance(v, int):
        s = {'type':'integer'}
        if key in PORTS: s.update(minimum=1, maximum=65535)
        elif key in ('replicas','minReplicas','maxReplicas','maxUnavailable','backoffLimit','targetSocketsPerPod'): s['minimum']=0
        elif key in ('replicationFactor','capacity','threads','maxSockets','targetParticipantsPerPod','activeDeadlineSeconds','startupSeconds','periodSeconds','timeoutSeconds'): s['minimum']=1
        elif key.endswith('Percentage'): s.update(minimum=1, maximum=100)
        elif key.endswith('Seconds'): s['minimum']=0
        return s
    if isinstance(v, float):
        return {'type':'number'}
    if isinstance(v, str):
        s = {'type':'string'}
        if tuple(path) in DESC: s['description']=DESC[tuple(path)]
        return s
    if isinstance(v, list):
        s = {'type':'array'}
        if key in PORT_LISTS:
            s['items'] = {'type':'integer','minimum':1,'maximum':65535}
            return s
        if v and all(isinstance(x,str) for x in v): s['items']={'type':'string'}
        return s
    if isinstance(v, dict):
        if key in FREE:
            return {'type':'object'}
        props = {k: schema(x, path+[k]) for k,x in v.items()}
        return {'type':'object','additionalProperties':False,'properties':props}
    if v is None:
        return {}
    raise Exception(path)
root = schema(values, [])
root['properties']['global'] = {'type':'object'}
root['$schema'] = 'http://json-schema.org/draft-07/schema#'
root['title'] = 'Values of the Rendezvous chart'
root['description'] = 'Generated from values.yaml (regenerate with python3 helm/values-schema.py; ProductionChartTest fails while a value is missing); unknown keys are refused, so a typo fails the install instead of being ignored.'
out = {k: root[k] for k in ['$schema','title','description','type','additionalProperties','properties']}
json.dump(out, open(os.path.join(CHART, 'values.schema.json'),'w'), indent=2)
open(os.path.join(CHART, 'values.schema.json'),'a').write('\n')
