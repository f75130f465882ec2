// metrics-server for the sandbox (kubectl top), built by petlet sandbox --prepare. go.sum pins every
// module's hash: the Go checksum database as reached here did not list v0.8.0, so its line came from
// the module proxy (GONOSUMDB=sigs.k8s.io/metrics-server once, when this file was written).
module petlet.dev/sandbox/metrics-server

go 1.24.4

require sigs.k8s.io/metrics-server v0.8.0
