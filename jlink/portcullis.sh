#!/bin/sh
# portcullis launcher: resolves its own location through symlinks (/usr/bin/portcullis ->
# /opt/portcullis/bin/portcullis) and uses the AOT cache trained when the image was built.
self=$(readlink -f "$0")
home=$(dirname "$(dirname "$self")")
if [ -r "$home/lib/portcullis.aot" ]; then
  exec "$home/bin/java" -XX:AOTCache="$home/lib/portcullis.aot" -Xlog:aot=off -Xlog:cds=off -m ips.app/ips.app.Main "$@"
fi
exec "$home/bin/java" -m ips.app/ips.app.Main "$@"
