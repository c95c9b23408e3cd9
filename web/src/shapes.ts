// A sigma node program that draws each node as its kind's shape (circle, square, diamond,
// triangle, hexagon, downward triangle) with an optional ring, in one WebGL draw call: the
// circle program's covering triangle, with a signed distance function per shape in the
// fragment shader. Attributes read: shape (number, palette.SHAPES) and ring (colour or
// absent).
import type { Attributes } from "graphology-types";
import { NodeProgram } from "sigma/rendering";
import type { NodeDisplayData, RenderParams } from "sigma/types";
import { floatColor } from "sigma/utils";

const VERTEX = /* glsl */ `
attribute vec4 a_id;
attribute vec4 a_color;
attribute vec4 a_ring;
attribute vec2 a_position;
attribute float a_size;
attribute float a_shape;
attribute float a_angle;

uniform mat3 u_matrix;
uniform float u_sizeRatio;
uniform float u_correctionRatio;

varying vec4 v_color;
varying vec4 v_ring;
varying vec2 v_diffVector;
varying float v_radius;
varying float v_shape;

const float bias = 255.0 / 254.0;

void main() {
  float size = a_size * u_correctionRatio / u_sizeRatio * 4.0;
  vec2 diffVector = size * vec2(cos(a_angle), sin(a_angle));
  vec2 position = a_position + diffVector;
  gl_Position = vec4((u_matrix * vec3(position, 1)).xy, 0, 1);
  v_diffVector = diffVector;
  v_radius = size / 2.0;
  v_shape = a_shape;
  #ifdef PICKING_MODE
  v_color = a_id;
  v_ring = a_id;
  #else
  v_color = a_color;
  v_ring = a_ring;
  #endif
  v_color.a *= bias;
  v_ring.a *= bias;
}
`;

const FRAGMENT = /* glsl */ `
precision highp float;

varying vec4 v_color;
varying vec4 v_ring;
varying vec2 v_diffVector;
varying float v_radius;
varying float v_shape;

uniform float u_correctionRatio;

const vec4 transparent = vec4(0.0, 0.0, 0.0, 0.0);

float sdBox(vec2 p, float b) {
  vec2 q = abs(p) - vec2(b);
  return length(max(q, 0.0)) + min(max(q.x, q.y), 0.0);
}

float sdTriangle(vec2 p, float r) {
  const float k = 1.7320508;
  p.x = abs(p.x) - r;
  p.y = p.y + r / k;
  if (p.x + k * p.y > 0.0) p = vec2(p.x - k * p.y, -k * p.x - p.y) / 2.0;
  p.x -= clamp(p.x, -2.0 * r, 0.0);
  return -length(p) * sign(p.y);
}

float sdHexagon(vec2 p, float r) {
  const vec3 k = vec3(-0.866025404, 0.5, 0.577350269);
  p = abs(p);
  p -= 2.0 * min(dot(k.xy, p), 0.0) * k.xy;
  p -= vec2(clamp(p.x, -k.z * r, k.z * r), r);
  return length(p) * sign(p.y);
}

void main(void) {
  vec2 p = v_diffVector;
  float r = v_radius;
  float d;
  if (v_shape < 0.5) d = length(p) - r;
  else if (v_shape < 1.5) d = sdBox(p, r * 0.72);
  else if (v_shape < 2.5) d = (abs(p.x) + abs(p.y) - r) * 0.7071;
  else if (v_shape < 3.5) d = sdTriangle(p + vec2(0.0, r * 0.2), r * 0.86);
  else if (v_shape < 4.5) d = sdHexagon(p, r * 0.84);
  else d = sdTriangle(vec2(p.x, -p.y) + vec2(0.0, r * 0.2), r * 0.86);

  float aa = u_correctionRatio * 2.0;
  #ifdef PICKING_MODE
  gl_FragColor = d > 0.0 ? transparent : v_color;
  #else
  vec4 color = v_color;
  if (v_ring.a > 0.0 && d > -r * 0.28) color = v_ring;
  float t = clamp((d + aa) / aa, 0.0, 1.0);
  gl_FragColor = mix(color, transparent, t);
  #endif
}
`;

const { UNSIGNED_BYTE, FLOAT } = WebGLRenderingContext;
const UNIFORMS = ["u_sizeRatio", "u_correctionRatio", "u_matrix"] as const;

/** NodeShapeProgram draws nodes by shape; see the file comment. */
export class NodeShapeProgram<N extends Attributes = Attributes, E extends Attributes = Attributes, G extends Attributes = Attributes> extends NodeProgram<(typeof UNIFORMS)[number], N, E, G> {
  getDefinition() {
    return {
      VERTICES: 3,
      VERTEX_SHADER_SOURCE: VERTEX,
      FRAGMENT_SHADER_SOURCE: FRAGMENT,
      METHOD: WebGLRenderingContext.TRIANGLES,
      UNIFORMS,
      ATTRIBUTES: [
        { name: "a_position", size: 2, type: FLOAT },
        { name: "a_size", size: 1, type: FLOAT },
        { name: "a_color", size: 4, type: UNSIGNED_BYTE, normalized: true },
        { name: "a_id", size: 4, type: UNSIGNED_BYTE, normalized: true },
        { name: "a_ring", size: 4, type: UNSIGNED_BYTE, normalized: true },
        { name: "a_shape", size: 1, type: FLOAT },
      ],
      CONSTANT_ATTRIBUTES: [{ name: "a_angle", size: 1, type: FLOAT }],
      CONSTANT_DATA: [[0], [(2 * Math.PI) / 3], [(4 * Math.PI) / 3]],
    };
  }

  processVisibleItem(nodeIndex: number, startIndex: number, data: NodeDisplayData): void {
    const a = this.array;
    const extra = data as NodeDisplayData & { shape?: number; ring?: string | null };
    a[startIndex++] = data.x;
    a[startIndex++] = data.y;
    a[startIndex++] = data.size;
    a[startIndex++] = floatColor(data.color);
    a[startIndex++] = nodeIndex;
    a[startIndex++] = extra.ring ? floatColor(extra.ring) : 0;
    a[startIndex++] = extra.shape ?? 0;
  }

  setUniforms(params: RenderParams, { gl, uniformLocations }: { gl: WebGLRenderingContext; uniformLocations: Record<string, WebGLUniformLocation> }): void {
    gl.uniform1f(uniformLocations.u_correctionRatio, params.correctionRatio);
    gl.uniform1f(uniformLocations.u_sizeRatio, params.sizeRatio);
    gl.uniformMatrix3fv(uniformLocations.u_matrix, false, params.matrix);
  }
}
