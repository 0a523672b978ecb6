"""The body schema as a pydantic model (FastAPI, BlackSheep) and a msgspec Struct (Litestar)."""

import msgspec
from pydantic import BaseModel


class UserIn(BaseModel):
    id: int
    name: str
    email: str
    age: int
    active: bool
    score: float
    country: str
    city: str
    street: str
    zip: str
    phone: str
    company: str
    title: str
    department: str
    salary: float
    manager_id: int
    hired: str
    remote: bool
    level: int
    notes: str


class UserStruct(msgspec.Struct):
    id: int
    name: str
    email: str
    age: int
    active: bool
    score: float
    country: str
    city: str
    street: str
    zip: str
    phone: str
    company: str
    title: str
    department: str
    salary: float
    manager_id: int
    hired: str
    remote: bool
    level: int
    notes: str
