#!/usr/bin/env bash
# Re-captures the grouping fixtures: each program in programs/<language> is installed twice — version 1
# under .../app, version 2 (every line shifted down by a few comment lines) under
# .../srv/releases/20261101/9fceb02 — and run by the real runtime for five scenarios:
#   v1-checkout-a     version 1, checkout call path, first set of ids/e-mail/amount/request id
#   v1-checkout-b     same, other ids/e-mail/amount/request id          (variable message parts)
#   v2-checkout-a     version 2 from the release directory, first values (shifted lines, moved path)
#   v1-refund-a       version 1, refund call path                       (different in-app path)
#   v1-other-type-a   version 1, checkout path, another error type      (different type)
# Each program prints `type:`, `message:`, `---` and the stack as its Datadog tracer would send them.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="${FAULTLINE_FIXTURE_ROOT:-/tmp/faultline-grouping}"
rm -rf "$root"
v1="$root/app"
v2="$root/srv/releases/20261101/9fceb02"
out="$here/traces"

a=(1234 jane.doe@example.com 19.99 550e8400-e29b-41d4-a716-446655440000)
b=(98765 ops+bob@corp.example.io 250.5 123e4567-e89b-12d3-a456-426614174000)

# install LANGUAGE DEST COMMENT: copy the program, shifting every source line when DEST is version 2.
install() {
    local language=$1 dest=$2 comment=$3
    mkdir -p "$dest"
    cp -R "$here/programs/$language/." "$dest/"
    if [ "$dest" = "$v2/$language" ]; then
        find "$dest" -type f \( -name '*.py' -o -name '*.js' -o -name '*.java' -o -name '*.go' -o -name '*.rb' -o -name '*.php' \) \
            -not -path '*/node_modules/*' -not -path '*/payclient/*' | while read -r file; do
            if head -1 "$file" | grep -q '^<?php'; then
                { echo '<?php'; printf '%s release 2\n' "$comment" "$comment" "$comment"; tail -n +2 "$file"; } > "$file.tmp"
            else
                { printf '%s release 2\n' "$comment" "$comment" "$comment"; cat "$file"; } > "$file.tmp"
            fi
            mv "$file.tmp" "$file"
        done
    fi
}

# capture LANGUAGE NAME COMMAND...: run the command and keep what it printed.
capture() {
    local language=$1 name=$2
    shift 2
    mkdir -p "$out/$language"
    "$@" > "$out/$language/$name.txt"
}

scenarios() {
    local language=$1 v1cmd=$2 v2cmd=$3
    capture "$language" v1-checkout-a $v1cmd checkout "${a[@]}"
    capture "$language" v1-checkout-b $v1cmd checkout "${b[@]}"
    capture "$language" v2-checkout-a $v2cmd checkout "${a[@]}"
    capture "$language" v1-refund-a $v1cmd refund "${a[@]}"
    capture "$language" v1-other-type-a $v1cmd other-type "${a[@]}"
}

# Python: the payclient library lives in a system site-packages for version 1 and in a venv for version 2.
for dest in "$v1" "$v2"; do install python "$dest/python" '#'; done
mkdir -p "$v1/usr/lib/python3/site-packages" "$v2/.venv/lib/python3.11/site-packages"
mv "$v1/python/payclient" "$v1/usr/lib/python3/site-packages/"
mv "$v2/python/payclient" "$v2/.venv/lib/python3.11/site-packages/"
py1="env PYTHONPATH=$v1/usr/lib/python3/site-packages python3 $v1/python/shop/orders.py"
py2="env PYTHONPATH=$v2/.venv/lib/python3.11/site-packages python3 $v2/python/shop/orders.py"
scenarios python "$py1" "$py2"

for dest in "$v1" "$v2"; do install node "$dest/node" '//'; done
scenarios node "node $v1/node/src/orders.js" "node $v2/node/src/orders.js"

for dest in "$v1" "$v2"; do
    install java "$dest/java" '//'
    javac -d "$dest/java/classes" "$dest/java/com/acme/shop/Checkout.java"
done
scenarios java "java -cp $v1/java/classes com.acme.shop.Checkout" "java -cp $v2/java/classes com.acme.shop.Checkout"

# Go: version 1 keeps absolute build paths, version 2 is built with -trimpath.
for dest in "$v1" "$v2"; do install go "$dest/go" '//'; done
(cd "$v1/go" && go build -o shop .)
(cd "$v2/go" && go build -trimpath -o shop .)
scenarios go "$v1/go/shop" "$v2/go/shop"

for dest in "$v1" "$v2"; do install ruby "$dest/ruby" '#'; done
scenarios ruby "ruby $v1/ruby/orders.rb" "ruby $v2/ruby/orders.rb"

for dest in "$v1" "$v2"; do install php "$dest/php" '//'; done
scenarios php "php $v1/php/index.php" "php $v2/php/index.php"

{
    echo "Captured $(date -u +%Y-%m-%d) with:"
    python3 --version
    echo "node $(node --version)"
    java -version 2>&1 | head -1
    go version
    ruby --version
    php --version | head -1
} > "$out/RUNTIMES.txt"
