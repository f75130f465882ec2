module petlet.dev/sandbox/etcd

go 1.23.0

require go.etcd.io/etcd/server/v3 v3.5.21
