// Parses each file given on the command line with the real Groovy compiler (Jenkins runs
// Pipeline scripts on Groovy 2.4, as Debian's groovy package is) and prints, as one JSON object
// keyed by file, the calls and assignments of its script in the shape test/lib/jenkinsfile.ts's
// parseGroovy returns. A syntax error prints the compiler's message and exits 1.
//
// Usage: groovy test/lib/GroovyAst.groovy Jenkinsfile…
import groovy.json.JsonOutput
import org.codehaus.groovy.ast.expr.*
import org.codehaus.groovy.ast.stmt.*
import org.codehaus.groovy.control.CompilationUnit
import org.codehaus.groovy.control.Phases

def value(Expression e) {
  if (e instanceof ConstantExpression) {
    def v = e.value
    if (v instanceof String) return [string: v]
    if (v instanceof Boolean) return [bool: v]
    if (v instanceof Number) return [number: v]
    return [unsupported: e.text]
  }
  if (e instanceof GStringExpression) {
    def sb = new StringBuilder()
    e.strings.eachWithIndex { s, i ->
      sb << s.value
      if (i < e.values.size()) sb << '${' + e.values[i].text + '}'
    }
    return [gstring: sb.toString()]
  }
  if (e instanceof ListExpression) return [list: e.expressions.collect { value(it) }]
  if (e instanceof MethodCallExpression) return methodCall(e)
  if (e instanceof VariableExpression) return [ident: e.name]
  if (e instanceof PropertyExpression) return [ident: e.text]
  return [unsupported: e.getClass().simpleName + ': ' + e.text]
}

def methodCall(MethodCallExpression m) {
  def args = []
  def block = null
  def list = m.arguments instanceof TupleExpression ? m.arguments.expressions : [m.arguments]
  for (a in list) {
    if (a instanceof ClosureExpression) block = statements(a.code)
    else if (a instanceof MapExpression) a.mapEntryExpressions.each { args << [name: it.keyExpression.text, value: value(it.valueExpression)] }
    else args << [value: value(a)]
  }
  def out = [call: m.methodAsString, args: args]
  if (block != null) out.block = block
  return out
}

def statements(Statement s) {
  def list = s instanceof BlockStatement ? s.statements : [s]
  list.collect { st ->
    if (st instanceof ExpressionStatement) {
      def e = st.expression
      if (e instanceof MethodCallExpression) return methodCall(e)
      if (e instanceof BinaryExpression && e.operation.text == '=') return [assign: e.leftExpression.text, value: value(e.rightExpression)]
      return [unsupported: e.getClass().simpleName]
    }
    return [unsupported: st.getClass().simpleName]
  }
}

def result = [:]
for (path in args) {
  def unit = new CompilationUnit()
  unit.addSource(new File(path))
  unit.compile(Phases.CONVERSION)
  result[path] = statements(unit.AST.modules[0].statementBlock)
}
println JsonOutput.toJson(result)
