// etcd for the test control plane: the server's own entry point, built from go.etcd.io/etcd/server/v3 at the
// version that the Kubernetes release pins.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
